package br.com.reistech.queue;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.ConversationView;
import br.com.reistech.conversations.Holding;
import br.com.reistech.realtime.EventHub;
import br.com.reistech.workspaces.WorkspaceService;
import br.com.reistech.workspaces.WorkspaceSettings;
import br.com.reistech.workspaces.WorkspaceView;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Keeps the queue moving without anyone watching it. Every node reports the agents connected to it
 * ({@link AgentPresence}) every {@value #HEARTBEAT_SECONDS} s; every {@value #SWEEP_SECONDS} s one
 * node at a time (a Redis lock) returns to the queue the conversations of agents who went offline
 * or idle past the workspace's limits, and, where the workspace asks for it, hands queued
 * conversations round-robin to online agents with room. An agent's limits count from the later of
 * its last sign of life and the assignment, so an agent just given a conversation has the whole
 * grace period to show up. When Redis cannot say who is online, nobody is released or assigned.
 */
@ApplicationScoped
public class QueueSweeper {

    private static final Logger LOG = LogManager.getLogger(QueueSweeper.class);
    static final int HEARTBEAT_SECONDS = 5;
    static final int SWEEP_SECONDS = 2;
    private static final int MAX_HOLDINGS = 10_000;

    private final QueueService queue;
    private final ConversationService conversations;
    private final WorkspaceService workspaces;
    private final AgentPresence presence;
    private final EventHub hub;
    private final RedissonClient redis;
    private final Clock clock;
    private final OwnedThreads threads = new OwnedThreads("reistech-queue");
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads);

    @Inject
    public QueueSweeper(QueueService queue, ConversationService conversations, WorkspaceService workspaces,
                        AgentPresence presence, EventHub hub, RedissonClient redis, Clock clock) {
        this.queue = queue;
        this.conversations = conversations;
        this.workspaces = workspaces;
        this.presence = presence;
        this.hub = hub;
        this.redis = redis;
        this.clock = clock;
    }

    /** Called once by the composition root. */
    public void start() {
        timer.scheduleWithFixedDelay(this::heartbeat, 0, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::sweepUnderLock, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        threads.stop(20, List.of(timer));
    }

    private void heartbeat() {
        try {
            hub.connectedUsers().forEach(user -> presence.seen(user.workspaceId(), user.userId()));
        } catch (RuntimeException failure) {
            LOG.warn("Presence heartbeat failed", failure);
        }
    }

    private void sweepUnderLock() {
        RLock lock;
        try {
            lock = redis.getLock("queue:sweep");
            if (!lock.tryLock(0, 30, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException redisDown) {
            LOG.debug("Queue sweep skipped: {}", redisDown.getMessage());
            return;
        }
        try {
            sweep();
        } catch (RuntimeException failure) {
            LOG.warn("Queue sweep failed; the next one retries", failure);
        } finally {
            try {
                lock.unlock();
            } catch (RuntimeException expiredOrRedisDown) {
                LOG.debug("Queue sweep lock already gone: {}", expiredOrRedisDown.getMessage());
            }
        }
    }

    void sweep() {
        Map<UUID, List<Holding>> held = new LinkedHashMap<>();
        for (Holding holding : conversations.holdings(MAX_HOLDINGS)) {
            held.computeIfAbsent(holding.workspaceId(), ws -> new ArrayList<>()).add(holding);
        }
        Set<UUID> concerned = new LinkedHashSet<>(held.keySet());
        concerned.addAll(conversations.workspacesWithQueue());
        Instant now = clock.instant();
        for (UUID workspaceId : concerned) {
            Optional<WorkspaceSettings.Queue> settings = workspaces.find(workspaceId).filter(WorkspaceView::active)
                    .map(w -> w.settings().effectiveQueue());
            Optional<Map<UUID, Instant>> seen = presence.seen(workspaceId);
            Optional<Map<UUID, Instant>> acted = presence.acted(workspaceId);
            if (settings.isEmpty() || seen.isEmpty() || acted.isEmpty()) {
                continue;
            }
            releaseAbsent(held.getOrDefault(workspaceId, List.of()), settings.get(), seen.get(), acted.get(), now);
            if (settings.get().effectiveAutoAssign()) {
                assignRoundRobin(workspaceId, settings.get(), seen.get(), acted.get(), now);
            }
        }
    }

    private void releaseAbsent(List<Holding> holdings, WorkspaceSettings.Queue settings, Map<UUID, Instant> seen,
                               Map<UUID, Instant> acted, Instant now) {
        for (Holding holding : holdings) {
            Instant since = later(holding.assignedAt(), presence.troubleAt());
            String reason = absence(holding.agentId(), since, settings, seen, acted, now);
            if (reason != null && queue.releaseAbsent(holding.workspaceId(), holding.conversationId(),
                    holding.agentId(), reason)) {
                LOG.info("Conversation {} returned to the queue: agent {} is {}", holding.conversationId(),
                        holding.agentId(), reason);
            }
        }
    }

    /** "offline", "idle", or null when the agent counts as present and active. */
    private static String absence(UUID agentId, Instant since, WorkspaceSettings.Queue settings,
                                  Map<UUID, Instant> seen, Map<UUID, Instant> acted, Instant now) {
        if (silentFor(seen.get(agentId), since, now).compareTo(settings.offlineAfter()) > 0) {
            return "offline";
        }
        Optional<Duration> idleAfter = settings.idleAfter();
        if (idleAfter.isPresent() && silentFor(acted.get(agentId), since, now).compareTo(idleAfter.get()) > 0) {
            return "idle";
        }
        return null;
    }

    private static Duration silentFor(Instant lastSign, Instant since, Instant now) {
        Instant latest = later(lastSign, since);
        return latest == null ? Duration.ofDays(365) : Duration.between(latest, now);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private void assignRoundRobin(UUID workspaceId, WorkspaceSettings.Queue settings, Map<UUID, Instant> seen,
                                  Map<UUID, Instant> acted, Instant now) {
        List<UUID> online = seen.keySet().stream()
                .filter(agent -> absence(agent, null, settings, seen, acted, now) == null)
                .sorted(Comparator.comparing(UUID::toString))
                .toList();
        if (online.isEmpty()) {
            return;
        }
        RBucket<String> last = redis.getBucket("queue:round-robin:{" + workspaceId + "}", StringCodec.INSTANCE);
        List<UUID> full = new ArrayList<>();
        for (ConversationView waiting : queue.queue(workspaceId)) {
            UUID agent = nextWithRoom(online, full, last.get(), waiting.id(), workspaceId);
            if (agent == null) {
                return;
            }
            last.set(agent.toString(), Duration.ofDays(1));
        }
    }

    /** Tries the online agents in turn after {@code previous}; null when none could take the conversation. */
    private UUID nextWithRoom(List<UUID> online, List<UUID> full, String previous, UUID conversationId,
                              UUID workspaceId) {
        int start = previous == null ? 0 : (online.stream().map(UUID::toString).toList().indexOf(previous) + 1);
        for (int i = 0; i < online.size(); i++) {
            UUID agent = online.get((start + i) % online.size());
            if (full.contains(agent)) {
                continue;
            }
            if (queue.autoAssign(workspaceId, conversationId, agent)) {
                return agent;
            }
            full.add(agent);
        }
        return null;
    }
}
