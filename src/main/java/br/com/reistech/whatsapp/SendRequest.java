package br.com.reistech.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * {@code POST /api/whatsapp/send}: a text (only inside the 24-hour window) or an approved template
 * to a customer of the caller's workspace.
 */
public record SendRequest(
        @NotNull UUID customerId,
        @NotNull @Pattern(regexp = "text|template", message = "must be text or template") String type,
        @Size(min = 1, max = 4096) String text,
        @Valid Template template) {

    /** As Meta documents it: name, language code, optional components. */
    public record Template(
            @NotBlank @Size(max = 512) String name,
            @NotBlank @Pattern(regexp = "[a-z]{2,3}(_[A-Z]{2})?", message = "must look like pt_BR") String language,
            JsonNode components) {
    }
}
