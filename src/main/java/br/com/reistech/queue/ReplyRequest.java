package br.com.reistech.queue;

import br.com.reistech.whatsapp.SendRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/** An agent's reply in a conversation: the shape of {@code /api/whatsapp/send} without the customer. */
public record ReplyRequest(
        @NotNull @Pattern(regexp = "text|template|image|document|audio|video|sticker",
                message = "must be text, template, image, document, audio, video or sticker") String type,
        @Size(min = 1, max = 4096) String text,
        @Valid SendRequest.Template template,
        @Valid SendRequest.Media media) {

    SendRequest to(UUID customerId) {
        return new SendRequest(customerId, type, text, template, media);
    }
}
