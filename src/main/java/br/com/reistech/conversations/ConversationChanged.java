package br.com.reistech.conversations;

import java.util.UUID;

/**
 * Fired after a conversation's state commits: queued, assigned, transferred, released, closed, or a
 * message in or out. Live consoles subscribe to these.
 *
 * @param kind queued, assigned, transferred, released, closed, message
 * @param agentId the agent concerned (assigned to, or the one that held it), when any
 * @param previousAgentId the agent that held it before (transfer, release), when any
 */
public record ConversationChanged(UUID workspaceId, UUID conversationId, String kind, UUID agentId,
                                  UUID previousAgentId) {

    public ConversationChanged(UUID workspaceId, UUID conversationId, String kind, UUID agentId) {
        this(workspaceId, conversationId, kind, agentId, null);
    }
}
