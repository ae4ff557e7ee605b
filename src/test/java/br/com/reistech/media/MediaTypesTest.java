package br.com.reistech.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void onlyListedTypesAreAcceptedWhateverTheirCaseAndParameters() {
        assertThat(MediaTypes.accepted("IMAGE/JPEG; charset=binary")).hasValue("image/jpeg");
        assertThat(MediaTypes.accepted("text/html")).isEmpty();
        assertThat(MediaTypes.accepted("image/svg+xml")).isEmpty();
        assertThat(MediaTypes.accepted("application/x-msdownload")).isEmpty();
        assertThat(MediaTypes.accepted(null)).isEmpty();
    }

    @Test
    void contentMustBeWhatTheTypeSays() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
        byte[] pdf = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        byte[] html = "<html><script>".getBytes(StandardCharsets.US_ASCII);
        assertThat(MediaTypes.matches("image/jpeg", jpeg)).isTrue();
        assertThat(MediaTypes.matches("image/png", jpeg)).isFalse();
        assertThat(MediaTypes.matches("application/pdf", pdf)).isTrue();
        assertThat(MediaTypes.matches("image/jpeg", html)).isFalse();
        assertThat(MediaTypes.matches("image/jpeg", new byte[0])).isFalse();
        assertThat(MediaTypes.matches("text/plain", "Olá, orçamento".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(MediaTypes.matches("text/plain", new byte[] {'M', 'Z', 0, 0})).isFalse();
    }

    @Test
    void eachTypeTravelsAsItsWhatsAppMessageType() {
        assertThat(MediaTypes.whatsappType("image/png")).isEqualTo("image");
        assertThat(MediaTypes.whatsappType("image/webp")).isEqualTo("sticker");
        assertThat(MediaTypes.whatsappType("audio/ogg")).isEqualTo("audio");
        assertThat(MediaTypes.whatsappType("application/pdf")).isEqualTo("document");
        assertThat(MediaTypes.inline("application/pdf")).isFalse();
        assertThat(MediaTypes.inline("image/png")).isTrue();
    }
}
