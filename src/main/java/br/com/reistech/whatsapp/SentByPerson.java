package br.com.reistech.whatsapp;

import java.util.UUID;

/**
 * Fired when a person's message to the customer has left (or failed) and its claim is released. It
 * was claimed out of turn, so a sender that found it held stopped there: the customer's replies
 * still pending are handed to the senders again.
 */
public record SentByPerson(UUID workspaceId, UUID customerId) {
}
