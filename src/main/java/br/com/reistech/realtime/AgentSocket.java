package br.com.reistech.realtime;

import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * One agent's live connection. Events go out one at a time through the asynchronous remote; at
 * most {@link #MAX_PENDING} wait behind a slow client, after which it is disconnected (it reconnects
 * with its last sequence number and gets the missed events replayed). While the replay is read,
 * live events are held back; then everything is sent in sequence order, without duplicates.
 */
final class AgentSocket extends Endpoint {

    static final int MAX_PENDING = 256;

    private final CurrentUser user;
    private final long since;
    private final EventHub hub;
    private final ObjectMapper json;
    private final Deque<AgentEvent> pending = new ArrayDeque<>();
    private Session session;
    private boolean replaying = true;
    private boolean sending;
    private long lastSent;

    AgentSocket(CurrentUser user, long since, EventHub hub, ObjectMapper json) {
        this.user = user;
        this.since = since;
        this.hub = hub;
        this.json = json;
        this.lastSent = since;
    }

    CurrentUser user() {
        return user;
    }

    /**
     * Supervisors see every event of their workspace; agents see queue movements and the events of
     * conversations they hold or held (a transfer away, a release), never the bot's conversations.
     */
    boolean maySee(AgentEvent event) {
        if (!event.workspaceId().equals(user.workspaceId())) {
            return false;
        }
        if (Permission.CONVERSATIONS_ALL.grantedTo(user.role())) {
            return true;
        }
        return !event.supervisorsOnly() && (event.aboutTheQueue() || user.userId().equals(event.agentId())
                || user.userId().equals(event.previousAgentId()));
    }

    @Override
    public void onOpen(Session opened, EndpointConfig config) {
        this.session = opened;
        hub.join(this);
        EventHub.Replay replay = since > 0 ? hub.replay(user.workspaceId(), since) : EventHub.Replay.NONE;
        synchronized (this) {
            replay.events().stream().filter(this::maySee).forEach(pending::addLast);
            List<AgentEvent> ordered = pending.stream().sorted(Comparator.comparingLong(AgentEvent::seq)).toList();
            pending.clear();
            if (replay.gap()) {
                send(new AgentEvent(0, user.workspaceId(), "resync", null, null, null, false, java.time.Instant.now()));
            }
            pending.addAll(ordered);
            replaying = false;
            next();
        }
    }

    private void send(AgentEvent event) {
        try {
            session.getBasicRemote().sendText(json.writeValueAsString(event));
        } catch (IOException gone) {
            closeLater(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed"));
        }
    }

    /** Queues an event for this client; a client too far behind is disconnected. */
    synchronized void offer(AgentEvent event) {
        if (!maySee(event) || event.seq() <= lastSent) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            closeLater(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too slow; reconnect with since=" + lastSent));
            return;
        }
        pending.addLast(event);
        if (!replaying) {
            next();
        }
    }

    private void next() {
        while (!sending && !pending.isEmpty() && session != null && session.isOpen()) {
            AgentEvent event = pending.pollFirst();
            if (event.seq() <= lastSent) {
                continue;
            }
            String text;
            try {
                text = json.writeValueAsString(event);
            } catch (IOException impossible) {
                continue;
            }
            lastSent = event.seq();
            sending = true;
            session.getAsyncRemote().sendText(text, this::sent);
        }
    }

    private void sent(SendResult result) {
        synchronized (this) {
            sending = false;
            if (!result.isOK()) {
                closeLater(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed"));
                return;
            }
            next();
        }
    }

    @Override
    public void onClose(Session closed, CloseReason reason) {
        hub.leave(this);
    }

    @Override
    public void onError(Session failed, Throwable error) {
        hub.leave(this);
    }

    /**
     * Disconnects the client without blocking the caller (often the node's event listener, which
     * must not wait behind a slow client's unfinished write).
     */
    void closeLater(CloseReason reason) {
        synchronized (this) {
            pending.clear();
            replaying = true;
        }
        hub.leave(this);
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                session.close(reason);
            } catch (IOException | IllegalStateException alreadyClosed) {
                // the client is gone
            }
        });
    }
}
