package br.com.reistech.conversations;

import java.util.UUID;

/**
 * Fired after a conversation's state commits: queued, assigned, transferred, released, closed, or a
 * message in or out. Live consoles subscribe to these.
 *
 * @param kind queued, assigned, transferred, released, closed, message
 * @param agentId the agent concerned (assigned to, or the one that held it), when any
 */
public record ConversationChanged(UUID workspaceId, UUID conversationId, String kind, UUID agentId) {
}
