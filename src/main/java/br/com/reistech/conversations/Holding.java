package br.com.reistech.conversations;

import java.time.Instant;
import java.util.UUID;

/** An active conversation and the agent holding it since {@code assignedAt}. */
public record Holding(UUID workspaceId, UUID agentId, UUID conversationId, Instant assignedAt) {
}
