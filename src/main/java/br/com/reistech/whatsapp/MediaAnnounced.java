package br.com.reistech.whatsapp;

import java.util.UUID;

/** A customer's media was announced by a committed webhook and waits to be downloaded from Meta. */
public record MediaAnnounced(UUID workspaceId, UUID mediaId) {
}
