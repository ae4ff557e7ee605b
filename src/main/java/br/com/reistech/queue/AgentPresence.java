package br.com.reistech.queue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * When each agent was last seen, shared by every node through Redis: one hash per workspace of
 * agent id to epoch millis for "seen" (connected to the live console, or calling the API) and one
 * for "acted" (calling the API). Writes for one agent are thinned to one per {@value #THIN_MILLIS}
 * ms per node. When Redis is unreachable nothing is known: readers get empty and release no one.
 * After an outage (a failed write or read, or Redis restarted empty: its epoch key is gone) the
 * times in Redis are not trusted before {@link #troubleAt()}: agents get their grace again from then.
 */
@ApplicationScoped
public class AgentPresence {

    private static final Logger LOG = LogManager.getLogger(AgentPresence.class);
    private static final long THIN_MILLIS = 5_000;

    private final RedissonClient redis;
    private final Clock clock;
    private final Map<Thinning, Long> written = new ConcurrentHashMap<>();
    private volatile long troubleMillis;

    @Inject
    public AgentPresence(RedissonClient redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** The agent is connected to the live console now. */
    public void seen(UUID workspaceId, UUID agentId) {
        record("seen", workspaceId, agentId);
    }

    /** The agent called the API now: it is both present and active. */
    public void acted(UUID workspaceId, UUID agentId) {
        record("seen", workspaceId, agentId);
        record("acted", workspaceId, agentId);
    }

    /** Agent id to when it was last seen; empty when Redis cannot tell. */
    public Optional<Map<UUID, Instant>> seen(UUID workspaceId) {
        return read("seen", workspaceId);
    }

    /** Agent id to when it last called the API; empty when Redis cannot tell. */
    public Optional<Map<UUID, Instant>> acted(UUID workspaceId) {
        return read("acted", workspaceId);
    }

    private void record(String kind, UUID workspaceId, UUID agentId) {
        long now = clock.millis();
        Thinning thinning = new Thinning(kind, agentId); // no string built: this runs on every API call
        Long last = written.get(thinning);
        if (last != null && now - last < THIN_MILLIS) {
            return;
        }
        written.put(thinning, now);
        try {
            RMap<String, String> map = map(kind, workspaceId);
            map.fastPutAsync(agentId.toString(), Long.toString(now)).whenComplete((done, failure) -> {
                if (failure != null) {
                    troubleMillis = clock.millis();
                    written.remove(thinning);
                }
            });
            map.expireAsync(Duration.ofDays(1));
        } catch (RuntimeException redisDown) {
            troubleMillis = now;
            written.remove(thinning);
            LOG.debug("Presence of agent {} not recorded: {}", agentId, redisDown.getMessage());
        }
    }

    /** Since when presence may be incomplete (an outage, or Redis restarted empty); epoch 0 when never. */
    public Instant troubleAt() {
        return Instant.ofEpochMilli(troubleMillis);
    }

    private Optional<Map<UUID, Instant>> read(String kind, UUID workspaceId) {
        try {
            var epoch = redis.<String>getBucket("presence:epoch", StringCodec.INSTANCE);
            if (epoch.setIfAbsentAsync(Long.toString(clock.millis())).toCompletableFuture().get(5, TimeUnit.SECONDS)) {
                troubleMillis = clock.millis(); // first use, or Redis lost its data: nobody's times are known
            }
            Map<String, String> raw = map(kind, workspaceId).readAllMapAsync().get(5, TimeUnit.SECONDS);
            Map<UUID, Instant> times = new HashMap<>();
            raw.forEach((agent, millis) -> times.put(UUID.fromString(agent), Instant.ofEpochMilli(Long.parseLong(millis))));
            return Optional.of(times);
        } catch (Exception unavailable) {
            if (unavailable instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            troubleMillis = clock.millis();
            LOG.debug("Presence of workspace {} unknown: {}", workspaceId, unavailable.getMessage());
            return Optional.empty();
        }
    }

    private RMap<String, String> map(String kind, UUID workspaceId) {
        return redis.getMap("presence:" + kind + ":{" + workspaceId + "}", StringCodec.INSTANCE);
    }

    /** The key of one agent's last write of one kind on this node. */
    private record Thinning(String kind, UUID agentId) {
    }
}
