package br.com.reistech.realtime;

import br.com.reistech.conversations.ConversationChanged;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.ConversationView;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RBatch;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;

/**
 * Live events for the agents' consoles, across every node. A conversation change committed on any
 * node becomes an {@link AgentEvent} with the workspace's next sequence number (a Redis counter),
 * is appended to the workspace's replay window (the last {@value #REPLAY} events, kept a day) and
 * published on one Redis topic; every node delivers what it receives to its own connected clients,
 * each seeing only what it may. When Redis is unreachable, live events are lost and clients catch
 * up from the database (REST) when they reconnect.
 */
@ApplicationScoped
public class EventHub {

    private static final Logger LOG = LogManager.getLogger(EventHub.class);
    static final int REPLAY = 1000;
    private static final String TOPIC = "realtime:events";

    private final RedissonClient redis;
    private final ObjectMapper json;
    private final ConversationService conversations;
    private final Clock clock;
    private final Set<AgentSocket> sockets = ConcurrentHashMap.newKeySet();
    private RTopic topic;
    private int listener;

    @Inject
    public EventHub(RedissonClient redis, ObjectMapper json, ConversationService conversations, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.conversations = conversations;
        this.clock = clock;
    }

    /** Subscribes to the cluster's events; called once by the composition root. */
    public void start() {
        topic = redis.getTopic(TOPIC);
        try {
            listener = topic.addListener(String.class, (channel, message) -> deliver(message));
        } catch (RuntimeException redisDown) {
            LOG.warn("Live events unavailable until Redis answers: {}", redisDown.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        if (topic != null && listener != 0) {
            try {
                topic.removeListener(listener);
            } catch (RuntimeException redisDown) {
                LOG.debug("Could not unsubscribe", redisDown);
            }
        }
        sockets.clear();
    }

    /** Connected clients on this node. */
    public int clients() {
        return sockets.size();
    }

    void join(AgentSocket socket) {
        sockets.add(socket);
    }

    void leave(AgentSocket socket) {
        sockets.remove(socket);
    }

    void onChange(@Observes ConversationChanged change) {
        Optional<ConversationView> conversation = conversations.find(change.workspaceId(), change.conversationId());
        UUID agent = change.agentId() != null ? change.agentId() : conversation.map(ConversationView::assignedAgentId).orElse(null);
        boolean supervisorsOnly = agent == null && conversation.map(c -> "BOT".equals(c.status())).orElse(false);
        publish(change.workspaceId(), change.kind(), change.conversationId(), agent, supervisorsOnly);
    }

    private void publish(UUID workspaceId, String type, UUID conversationId, UUID agentId, boolean supervisorsOnly) {
        try {
            long seq = redis.getAtomicLong("realtime:seq:" + workspaceId).incrementAndGet();
            String event = json.writeValueAsString(new AgentEvent(seq, workspaceId, type, conversationId, agentId,
                    supervisorsOnly, clock.instant()));
            RBatch batch = redis.createBatch();
            String replay = "realtime:replay:" + workspaceId;
            batch.<String>getList(replay).addAsync(event);
            batch.getList(replay).trimAsync(-REPLAY, -1);
            batch.getList(replay).expireAsync(Duration.ofDays(1));
            batch.getTopic(TOPIC).publishAsync(event);
            batch.execute();
        } catch (Exception unavailable) {
            LOG.warn("Live event {} for conversation {} not published: {}", type, conversationId,
                    unavailable.getMessage());
        }
    }

    /** The workspace's events after {@code since}, in order, from the replay window. */
    List<AgentEvent> replay(UUID workspaceId, long since) {
        List<AgentEvent> events = new ArrayList<>();
        try {
            for (Object raw : redis.getList("realtime:replay:" + workspaceId).readAll()) {
                AgentEvent event = json.readValue(raw.toString(), AgentEvent.class);
                if (event.seq() > since) {
                    events.add(event);
                }
            }
        } catch (Exception unavailable) {
            LOG.warn("Replay for workspace {} unavailable: {}", workspaceId, unavailable.getMessage());
        }
        events.sort(Comparator.comparingLong(AgentEvent::seq));
        return events;
    }

    private void deliver(String message) {
        try {
            AgentEvent event = json.readValue(message, AgentEvent.class);
            for (AgentSocket socket : sockets) {
                socket.offer(event);
            }
        } catch (Exception malformed) {
            LOG.warn("Unreadable live event ignored", malformed);
        }
    }
}
