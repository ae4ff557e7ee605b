package br.com.reistech.whatsapp;

import java.util.UUID;

/** Fired after a webhook's messages are committed: the customer has messages for the bot. */
public record InboundReceived(UUID workspaceId, UUID customerId) {
}
