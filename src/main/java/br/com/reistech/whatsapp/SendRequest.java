package br.com.reistech.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * {@code POST /api/whatsapp/send}: a text or a media message (only inside the 24-hour window) or an
 * approved template, to a customer of the caller's workspace.
 */
public record SendRequest(
        @NotNull UUID customerId,
        @NotNull @Pattern(regexp = "text|template|image|document|audio|video|sticker",
                message = "must be text, template, image, document, audio, video or sticker") String type,
        @Size(min = 1, max = 4096) String text,
        @Valid Template template,
        @Valid Media media) {

    /**
     * A media message: exactly one of a file uploaded to {@code /api/media} ({@code upload}), a Meta
     * media id or an https link; an optional caption (not for audio or stickers).
     */
    public record Media(
            UUID upload,
            @Pattern(regexp = "[0-9]{1,30}", message = "must be a Meta media id") String id,
            @Size(max = 2000) @Pattern(regexp = "https://\\S+", message = "must be an https URL") String link,
            @Size(max = 1024) String caption) {
    }

    /** As Meta documents it: name, language code, optional components. */
    public record Template(
            @NotBlank @Size(max = 512) String name,
            @NotBlank @Pattern(regexp = "[a-z]{2,3}(_[A-Z]{2})?", message = "must look like pt_BR") String language,
            JsonNode components) {
    }
}
