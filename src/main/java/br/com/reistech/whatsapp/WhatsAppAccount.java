package br.com.reistech.whatsapp;

import java.util.UUID;

/** A phone number with its decrypted secrets; lives only inside the whatsapp feature. */
record WhatsAppAccount(UUID id, UUID workspaceId, String phoneNumberId, String accessToken, String appSecret,
                       String verifyToken, String graphVersion) {

    @Override
    public String toString() {
        return "WhatsAppAccount[" + phoneNumberId + "]";
    }
}
