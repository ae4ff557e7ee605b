package br.com.reistech.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Media bytes on disk under one directory, each file named by its SHA-256 ({@code ab/abcdef...}), so
 * the same content is stored once. A file is written to a temporary name and moved into place only
 * when complete, so a reader never sees half a file and a crash leaves at most a temporary file.
 */
public final class MediaStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** What was stored: its name, size and first {@link MediaTypes#HEAD} bytes. */
    public record Stored(String sha256, long size, byte[] head) {
    }

    /** The content was larger than allowed; nothing was kept. */
    public static final class TooLarge extends Exception {
        TooLarge(long limit) {
            super("larger than " + limit + " bytes");
        }
    }

    /** The content's first bytes were refused; nothing was kept. */
    public static final class Refused extends Exception {
        Refused() {
            super("content refused");
        }
    }

    private final Path root;
    private final Path incoming;

    /** Creates the directory if needed; fails at start-up when it cannot be written. */
    public MediaStore(Path root) {
        this.root = root;
        this.incoming = root.resolve(".incoming");
        try {
            Files.createDirectories(incoming);
            Path probe = Files.createTempFile(incoming, "probe", ".tmp");
            Files.delete(probe);
        } catch (IOException unwritable) {
            throw new UncheckedIOException("UPLOAD_DIR " + root + " is not a writable directory", unwritable);
        }
    }

    /**
     * Reads {@code in} to its end, keeping at most {@code maxBytes} ({@link TooLarge} beyond), and
     * keeps the file only when {@code accept} takes its first {@link MediaTypes#HEAD} bytes
     * ({@link Refused} otherwise): nothing refused ever reaches the store.
     */
    public Stored store(InputStream in, long maxBytes, java.util.function.Predicate<byte[]> accept)
            throws IOException, TooLarge, Refused {
        Path temporary = Files.createTempFile(incoming, "upload", ".tmp");
        try {
            MessageDigest digest = sha256();
            byte[] head = new byte[MediaTypes.HEAD];
            int headLength = 0;
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), digest)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read; (read = in.read(buffer)) != -1; ) {
                    size += read;
                    if (size > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    if (headLength < head.length) {
                        int copied = Math.min(read, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, copied);
                        headLength += copied;
                    }
                    out.write(buffer, 0, read);
                }
            }
            if (!accept.test(java.util.Arrays.copyOf(head, headLength))) {
                throw new Refused();
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = path(sha);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException sameDirectoryAlways) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new Stored(sha, size, java.util.Arrays.copyOf(head, headLength));
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The file of a stored content. */
    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 name");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
