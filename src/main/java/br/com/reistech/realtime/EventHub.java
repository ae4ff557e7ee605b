package br.com.reistech.realtime;

import br.com.reistech.conversations.ConversationChanged;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.ConversationView;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.SessionRevoked;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Live events for the agents' consoles, across every node. A conversation change committed on any
 * node (recorded in its transaction by {@link EventOutbox}) becomes an {@link AgentEvent}: one Lua
 * script takes the workspace's next sequence number, appends the event to the workspace's replay
 * window (the last {@value #REPLAY} events, kept a day) and publishes it on one Redis topic,
 * atomically, so events are published in sequence order. Every node delivers what it receives to its
 * own connected clients, each seeing only what it may. A revoked session (logout, password or role
 * change) disconnects its sockets on every node (a second topic). Events raised while Redis is unreachable wait in the outbox and are published when it
 * answers again; a client asking for events beyond the replay window is told to resync.
 */
@ApplicationScoped
public class EventHub {

    private static final Logger LOG = LogManager.getLogger(EventHub.class);
    static final int REPLAY = 1000;
    private static final String TOPIC = "realtime:events";
    private static final String REVOKED = "realtime:revoked-sessions";
    /** How long a published outbox row is remembered, so that a sweep never publishes it twice. */
    private static final long PUBLISHED_MEMORY_MILLIS = 600_000;
    private static final String PUBLISH = """
            local published = redis.call('GET', KEYS[3])
            if published then
              return tonumber(published)
            end
            local seq = redis.call('INCR', KEYS[1])
            redis.call('EXPIRE', KEYS[1], 7776000)
            local event = string.gsub(ARGV[1], '"seq":0,', '"seq":' .. seq .. ',', 1)
            redis.call('RPUSH', KEYS[2], event)
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
            redis.call('EXPIRE', KEYS[2], 86400)
            redis.call('PUBLISH', ARGV[2], event)
            redis.call('SET', KEYS[3], seq, 'PX', tonumber(ARGV[4]))
            return seq""";

    /** What a reconnecting client missed; {@code gap} when part of it is no longer available. */
    record Replay(List<AgentEvent> events, boolean gap) {
        static final Replay NONE = new Replay(List.of(), false);
    }

    private final RedissonClient redis;
    private final ObjectMapper json;
    private final ConversationService conversations;
    private final Clock clock;
    private final Set<AgentSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile RTopic topic;
    private volatile int listener;
    private volatile RTopic revocations;
    private volatile int revocationListener;

    @Inject
    public EventHub(RedissonClient redis, ObjectMapper json, ConversationService conversations, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.conversations = conversations;
        this.clock = clock;
    }

    /** Subscribes to the cluster's events; called by the composition root, and again until it succeeds. */
    public synchronized void start() {
        if (listener != 0) {
            return;
        }
        try {
            revocations = redis.getTopic(REVOKED, StringCodec.INSTANCE);
            revocationListener = revocations.addListener(String.class, (channel, familyId) -> disconnect(familyId));
            topic = redis.getTopic(TOPIC, StringCodec.INSTANCE);
            listener = topic.addListener(String.class, (channel, message) -> deliver(message));
        } catch (RuntimeException redisDown) {
            LOG.warn("Live events unavailable until Redis answers: {}", redisDown.getMessage());
        }
    }

    @PreDestroy
    synchronized void stop() {
        try {
            if (topic != null && listener != 0) {
                topic.removeListener(listener);
            }
            if (revocations != null && revocationListener != 0) {
                revocations.removeListener(revocationListener);
            }
        } catch (RuntimeException redisDown) {
            LOG.debug("Could not unsubscribe", redisDown);
        }
        listener = 0;
        revocationListener = 0;
        sockets.clear();
    }

    /** Connected clients on this node. */
    public int clients() {
        return sockets.size();
    }

    /** The users with a live console open on this node. */
    public Set<CurrentUser> connectedUsers() {
        Set<CurrentUser> users = new java.util.HashSet<>();
        sockets.forEach(socket -> users.add(socket.user()));
        return users;
    }

    void join(AgentSocket socket) {
        sockets.add(socket);
    }

    void leave(AgentSocket socket) {
        sockets.remove(socket);
    }

    /**
     * Publishes the event of a committed {@code change}, row {@code outboxId} of {@link EventOutbox};
     * the stage completes once Redis has numbered and published it (or had, for this row, in the last
     * ten minutes: then nothing is published again), exceptionally when it could not.
     */
    CompletionStage<Long> publish(long outboxId, ConversationChanged change) {
        start();
        Optional<ConversationView> conversation = conversations.find(change.workspaceId(), change.conversationId());
        UUID agent = change.agentId() != null ? change.agentId()
                : conversation.map(ConversationView::assignedAgentId).orElse(null);
        boolean supervisorsOnly = agent == null && conversation.map(c -> "BOT".equals(c.status())).orElse(false);
        return publish(outboxId, new AgentEvent(0, change.workspaceId(), change.kind(), change.conversationId(), agent,
                change.previousAgentId(), supervisorsOnly, clock.instant()));
    }

    /** A session ended on this node: its sockets on every node are closed (through Redis), and here at once. */
    void onRevoked(@Observes SessionRevoked revoked) {
        String familyId = revoked.familyId().toString();
        disconnect(familyId);
        try {
            redis.getTopic(REVOKED, StringCodec.INSTANCE).publishAsync(familyId);
        } catch (RuntimeException redisDown) {
            LOG.warn("Other nodes not told of a revoked session: {}", redisDown.getMessage());
        }
    }

    private void disconnect(String familyId) {
        for (AgentSocket socket : sockets) {
            if (socket.user().familyId().toString().equals(familyId)) {
                socket.closeLater(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "session ended"));
            }
        }
    }

    private CompletionStage<Long> publish(long outboxId, AgentEvent event) {
        try {
            String channel = topic != null ? topic.getChannelNames().get(0) : redis.getTopic(TOPIC).getChannelNames().get(0);
            return redis.getScript(StringCodec.INSTANCE).<Long>evalAsync(RScript.Mode.READ_WRITE, PUBLISH,
                            RScript.ReturnType.INTEGER, List.of(seqKey(event.workspaceId()), replayKey(event.workspaceId()),
                                    "realtime:outbox:{" + event.workspaceId() + "}:" + outboxId),
                            json.writeValueAsString(event), channel, Integer.toString(REPLAY),
                            Long.toString(PUBLISHED_MEMORY_MILLIS))
                    .whenComplete((seq, failure) -> {
                        if (failure != null) {
                            LOG.warn("Live event {} for conversation {} not published yet: {}", event.type(),
                                    event.conversationId(), failure.getMessage());
                        }
                    });
        } catch (Exception unavailable) {
            LOG.warn("Live event {} for conversation {} not published yet: {}", event.type(), event.conversationId(),
                    unavailable.getMessage());
            return CompletableFuture.failedFuture(unavailable);
        }
    }

    /** The workspace's events after {@code since}, in order, and whether some are missing. */
    Replay replay(UUID workspaceId, long since) {
        List<AgentEvent> events = new ArrayList<>();
        try {
            long current = Optional.ofNullable(redis.<String>getBucket(seqKey(workspaceId), StringCodec.INSTANCE).get())
                    .map(Long::parseLong).orElse(0L);
            for (Object raw : redis.getList(replayKey(workspaceId), StringCodec.INSTANCE).readAll()) {
                AgentEvent event = json.readValue(raw.toString(), AgentEvent.class);
                if (event.seq() > since) {
                    events.add(event);
                }
            }
            events.sort(Comparator.comparingLong(AgentEvent::seq));
            boolean gap = since > current || (current > since && (events.isEmpty() || events.get(0).seq() > since + 1));
            return new Replay(events, gap);
        } catch (Exception unavailable) {
            LOG.warn("Replay for workspace {} unavailable: {}", workspaceId, unavailable.getMessage());
            return new Replay(List.of(), true);
        }
    }

    private static String seqKey(UUID workspaceId) {
        return "realtime:seq:{" + workspaceId + "}";
    }

    private static String replayKey(UUID workspaceId) {
        return "realtime:replay:{" + workspaceId + "}";
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
