package br.com.reistech.conversations;

import java.time.Instant;
import java.util.UUID;

/**
 * A conversation as agents see it. {@code waitSeconds}: time in the queue so far (queued) or until an
 * agent took it; {@code firstResponseSeconds} and {@code handlingSeconds} are measured from when an
 * agent got it, null until they apply.
 */
public record ConversationView(UUID id, UUID customerId, String customerName, String customerPhone, String status,
                               UUID assignedAgentId, int priority, Instant queuedAt, Instant assignedAt,
                               Instant firstResponseAt, Instant closedAt, Instant createdAt, Long waitSeconds,
                               Long firstResponseSeconds, Long handlingSeconds) {
}
