package br.com.reistech.conversations;

import java.util.UUID;

/**
 * A conversation's state changed: queued, assigned, transferred, released, closed, or a message in
 * or out. Recorded in the changing transaction by {@code EventOutbox}, which publishes it to the live
 * consoles once that transaction commits.
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
