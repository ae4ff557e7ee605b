package br.com.reistech.realtime;

import java.time.Instant;
import java.util.UUID;

/**
 * One live event for the agents' consoles. {@code seq} increases by one per event within a
 * workspace, across all nodes, and events are published in {@code seq} order; a client that
 * reconnects with the last {@code seq} it saw receives the events it missed. A {@code resync} event
 * (seq 0) tells a client that the missed events are no longer all available: reload from the REST API.
 *
 * @param type queued, assigned, transferred, released, closed, message, message-status, resync
 * @param agentId the agent the conversation is with (or was, for released and closed), when any
 * @param previousAgentId the agent that held it before a transfer or release, when any
 * @param supervisorsOnly for conversations still with the bot: agents do not see them
 */
public record AgentEvent(long seq, UUID workspaceId, String type, UUID conversationId, UUID agentId,
                         UUID previousAgentId, boolean supervisorsOnly, Instant at) {

    /** Queue movements every agent of the workspace sees. */
    boolean aboutTheQueue() {
        return "queued".equals(type) || "assigned".equals(type) || "released".equals(type);
    }
}
