package br.com.reistech.media;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The media types the platform accepts, each with the WhatsApp message type that carries it and a
 * check of the file's first bytes: a file is accepted only when its content is what its declared
 * type says (an HTML page called {@code image/png} is refused). These are the types WhatsApp itself
 * accepts for images, stickers, audio, video and documents.
 */
public final class MediaTypes {

    /** How many leading bytes {@link #matches} needs. */
    public static final int HEAD = 16;

    private record Kind(String whatsappType, Predicate<byte[]> signature) {
    }

    private static final Predicate<byte[]> ZIP = head -> starts(head, 0, 0x50, 0x4B, 0x03, 0x04);
    private static final Predicate<byte[]> OLE = head -> starts(head, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1);
    private static final Predicate<byte[]> FTYP = head -> starts(head, 4, 'f', 't', 'y', 'p');

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("image/jpeg", new Kind("image", head -> starts(head, 0, 0xFF, 0xD8, 0xFF))),
            Map.entry("image/png", new Kind("image", head -> starts(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A))),
            Map.entry("image/webp", new Kind("sticker", head -> starts(head, 0, 'R', 'I', 'F', 'F') && starts(head, 8, 'W', 'E', 'B', 'P'))),
            Map.entry("audio/ogg", new Kind("audio", head -> starts(head, 0, 'O', 'g', 'g', 'S'))),
            Map.entry("audio/mpeg", new Kind("audio", head -> starts(head, 0, 'I', 'D', '3')
                    || (head.length > 1 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0))),
            Map.entry("audio/aac", new Kind("audio", head -> head.length > 1 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xF6) == 0xF0)),
            Map.entry("audio/amr", new Kind("audio", head -> starts(head, 0, '#', '!', 'A', 'M', 'R'))),
            Map.entry("audio/mp4", new Kind("audio", FTYP)),
            Map.entry("video/mp4", new Kind("video", FTYP)),
            Map.entry("video/3gpp", new Kind("video", FTYP)),
            Map.entry("application/pdf", new Kind("document", head -> starts(head, 0, '%', 'P', 'D', 'F', '-'))),
            Map.entry("text/plain", new Kind("document", MediaTypes::utf8Text)),
            Map.entry("application/msword", new Kind("document", OLE)),
            Map.entry("application/vnd.ms-excel", new Kind("document", OLE)),
            Map.entry("application/vnd.ms-powerpoint", new Kind("document", OLE)),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", new Kind("document", ZIP)),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", new Kind("document", ZIP)),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", new Kind("document", ZIP)));

    private MediaTypes() {
    }

    /** The type without parameters, lower case; empty when it is not one the platform accepts. */
    public static Optional<String> accepted(String declared) {
        if (declared == null) {
            return Optional.empty();
        }
        String bare = declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return KINDS.containsKey(bare) ? Optional.of(bare) : Optional.empty();
    }

    /** Whether the file's first bytes are those of {@code type} (an accepted type). */
    public static boolean matches(String type, byte[] head) {
        Kind kind = KINDS.get(type);
        return kind != null && kind.signature().test(head);
    }

    /** WhatsApp's message type for an accepted type: image, sticker, audio, video or document. */
    public static String whatsappType(String type) {
        return KINDS.get(type).whatsappType();
    }

    /** Whether a browser may show it inline; everything else is served as an attachment. */
    public static boolean inline(String type) {
        return type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/");
    }

    /** The accepted types, for error messages and documentation. */
    public static String list() {
        return String.join(", ", KINDS.keySet().stream().sorted().toList());
    }

    private static boolean starts(byte[] head, int offset, int... expected) {
        if (head.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((head[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** Plain text: decodes as UTF-8 (a character cut at the end of the head is allowed) and holds no NUL. */
    private static boolean utf8Text(byte[] head) {
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        for (int cut = 0; cut < 4 && cut <= head.length; cut++) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Arrays.copyOf(head, head.length - cut)));
                return head.length > 0;
            } catch (CharacterCodingException malformed) {
                // try without a possibly cut last character
            }
        }
        return false;
    }
}
