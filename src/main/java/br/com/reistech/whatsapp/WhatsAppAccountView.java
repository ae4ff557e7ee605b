package br.com.reistech.whatsapp;

import java.time.Instant;
import java.util.UUID;

/** A connected phone number, without its secrets. */
public record WhatsAppAccountView(UUID id, UUID workspaceId, String phoneNumberId, String graphVersion,
                                  Instant createdAt) {
}
