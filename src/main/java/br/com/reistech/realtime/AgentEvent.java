package br.com.reistech.realtime;

import java.time.Instant;
import java.util.UUID;

/**
 * One live event for the agents' consoles. {@code seq} increases by one per event within a
 * workspace, across all nodes; a client that reconnects with the last {@code seq} it saw receives
 * the events it missed.
 *
 * @param type queued, assigned, transferred, released, closed, message
 * @param agentId the agent the conversation is (or was) with, when any
 * @param supervisorsOnly for conversations still with the bot: agents do not see them
 */
public record AgentEvent(long seq, UUID workspaceId, String type, UUID conversationId, UUID agentId,
                         boolean supervisorsOnly, Instant at) {
}
