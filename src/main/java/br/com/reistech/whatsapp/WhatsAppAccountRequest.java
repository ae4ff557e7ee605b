package br.com.reistech.whatsapp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Connecting a WhatsApp Business phone number to the caller's workspace
 * ({@code POST /api/whatsapp/accounts}). The three secrets are stored encrypted and never shown again.
 *
 * @param graphVersion Graph API version for this number; the installation default when omitted
 */
public record WhatsAppAccountRequest(
        @NotBlank @Pattern(regexp = "[0-9]{5,20}", message = "must be Meta's numeric phone number id") String phoneNumberId,
        @NotBlank @Size(min = 20, max = 1024) String accessToken,
        @NotBlank @Size(min = 16, max = 256) String appSecret,
        @NotBlank @Size(min = 16, max = 256) String verifyToken,
        @Pattern(regexp = "v[0-9]{1,2}\\.[0-9]", message = "must look like v21.0") String graphVersion) {

    @Override
    public String toString() {
        return "WhatsAppAccountRequest[phoneNumberId=" + phoneNumberId + ", secrets=****]";
    }
}
