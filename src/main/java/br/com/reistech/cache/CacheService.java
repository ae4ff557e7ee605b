package br.com.reistech.cache;

import br.com.reistech.cache.CacheMetrics.Counters;
import br.com.reistech.concurrent.CircuitBreaker;
import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.config.AppConfig;
import br.com.reistech.config.AppConfig.CacheConfig;
import br.com.reistech.persistence.Transactions;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RLock;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.client.codec.StringCodec;

/**
 * The cache: Redis shared by every node, plus each node's memory (the near cache) for the
 * read-mostly kinds. {@link #getOrSet} loads a missing key once across the cluster (a lock per key,
 * bounded wait, then callers load themselves); values are JSON, nulls are cached briefly, TTLs get
 * ±10 % jitter. Invalidations run after the database transaction commits and reach every node's
 * near cache through Redis pub/sub; a node that lost its subscription drops its near cache.
 *
 * <p>Redis never fails a request: every command has a short timeout, failures open a circuit
 * breaker so calls go straight to the loader (the database) without waiting, and the breaker probes
 * by itself. Invalidations Redis missed meanwhile are replayed when it is back, and near caches are
 * dropped, since announcements may have been lost.
 */
@ApplicationScoped
public class CacheService {

    private static final Logger LOG = LogManager.getLogger(CacheService.class);
    private static final String TOPIC = "cache:invalidations";
    private static final String ANY = "*";
    private static final Duration NEGATIVE_TTL = Duration.ofSeconds(10);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(3);
    /** How long after a key's last change it is evicted once more (see {@link #evict(String, boolean)}). */
    private static final long LATE_EVICTION_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration LOCK_LEASE = Duration.ofSeconds(15);
    private static final Duration LOCK_POLL = Duration.ofMillis(20);
    private static final int MAX_PENDING = 10_000;
    private static final long WATCH_MILLIS = 1_000;
    private static final long NEAR_TRUST_NANOS = TimeUnit.MILLISECONDS.toNanos(2_500);

    /** Redis did not answer in time or failed: the caller goes to the database. */
    private static final class RedisDown extends Exception {
        RedisDown(Throwable cause) {
            super(cause);
        }
    }

    private record Near(Object value, long expiresAt) {
    }

    private final RedissonClient redis;
    private final ObjectMapper json;
    private final Transactions transactions;
    private final CacheConfig config;
    private final long timeoutMillis;
    private final CacheMetrics metrics = new CacheMetrics();
    private final CircuitBreaker breaker;
    private final Map<String, Near> near = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Object>> inflight = new ConcurrentHashMap<>();
    /**
     * When each key was last invalidated here (kept a minute), and when the last bulk invalidation
     * was: a load or read that overlapped an invalidation of its key does not store its result.
     */
    private final Map<String, Long> invalidatedAt = new ConcurrentHashMap<>();
    private volatile long bulkInvalidatedAt = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private final Set<String> missed = ConcurrentHashMap.newKeySet();
    private volatile boolean missedOverflow;
    private volatile RTopic topic;
    private volatile boolean subscribed;
    private volatile long lastAnswer = System.nanoTime() - NEAR_TRUST_NANOS;
    private final OwnedThreads threads = new OwnedThreads("reistech-cache");
    private final ScheduledThreadPoolExecutor watcher = new ScheduledThreadPoolExecutor(1, threads);
    /** Keys awaiting their late eviction, and when it is due (System.nanoTime). */
    private final Map<String, Long> lateEvictions = new ConcurrentHashMap<>();

    @Inject
    public CacheService(RedissonClient redis, ObjectMapper json, Transactions transactions, AppConfig config,
                        MeterRegistry registry) {
        this.redis = redis;
        metrics.bindTo(registry);
        this.json = json;
        this.transactions = transactions;
        this.config = config.cache();
        this.timeoutMillis = this.config.timeout().toMillis();
        this.breaker = new CircuitBreaker(this.config.breakerFailures(), this.config.breakerOpen().toNanos(),
                System::nanoTime, this::recovered);
    }

    /** Starts watching Redis and subscribes to other nodes' invalidations; called by the composition root. */
    public void start() {
        watcher.scheduleWithFixedDelay(this::watch, 0, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Once a second: Redis answers (the near cache may serve) or not (the near cache is dropped and
     * failures count towards the breaker); an open breaker gets its probe from here too, so it
     * closes without waiting for traffic. Subscribes when not subscribed.
     */
    private void watch() {
        try {
            if (breaker.allow()) {
                read("cache:probe", metrics.global);
                lastAnswer = System.nanoTime();
                if (!subscribed) {
                    subscribe();
                }
                replayMissed();
            }
            long now = System.nanoTime();
            invalidatedAt.values().removeIf(at -> now - at > TimeUnit.MINUTES.toNanos(1));
        } catch (RedisDown down) {
            dropNear();
        } catch (RuntimeException unexpected) {
            LOG.warn("Cache watch failed", unexpected);
        }
    }

    private synchronized void subscribe() {
        if (topic != null) {
            return;
        }
        try {
            RTopic invalidationTopic = redis.getTopic(TOPIC, StringCodec.INSTANCE);
            invalidationTopic.addListener(String.class, (channel, scope) -> applyLocally(scope));
            invalidationTopic.addListener(new BaseStatusListener() {
                @Override
                public void onSubscribe(String channel) {
                    // First subscription, or again after a reconnect: announcements may have been missed.
                    dropNear();
                    subscribed = true;
                }

                @Override
                public void onUnsubscribe(String channel) {
                    subscribed = false;
                    dropNear();
                }
            });
            topic = invalidationTopic;
            subscribed = true;
        } catch (RuntimeException redisDown) {
            LOG.warn("Cache invalidations not subscribed yet (near cache off until then): {}", redisDown.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        threads.stop(10, List.of(watcher));
        synchronized (this) {
            if (topic != null) {
                try {
                    topic.removeAllListeners();
                } catch (RuntimeException redisDown) {
                    LOG.debug("Could not unsubscribe", redisDown);
                }
            }
            topic = null;
            subscribed = false;
        }
        near.clear();
    }

    public <T> T getOrSet(CacheKind kind, UUID workspaceId, String key, Class<T> type, Supplier<T> loader) {
        return getOrSet(kind, workspaceId, key, json.constructType(type), loader);
    }

    public <T> T getOrSet(CacheKind kind, UUID workspaceId, String key, TypeReference<T> type, Supplier<T> loader) {
        return getOrSet(kind, workspaceId, key, json.getTypeFactory().constructType(type), loader);
    }

    /**
     * The cached value of {@code key}, or {@code loader}'s (which may be null: cached briefly) after
     * a miss. Cached values are shared: callers must not modify them.
     */
    @SuppressWarnings("unchecked")
    private <T> T getOrSet(CacheKind kind, UUID workspaceId, String key, JavaType type, Supplier<T> loader) {
        Counters counters = metrics.of(kind);
        if (!config.enabled() || !breaker.allow()) {
            counters.bypassed.increment();
            return load(counters, loader);
        }
        String name = name(kind, workspaceId, key);
        long seen = System.nanoTime();
        // A probe (breaker half open) must reach Redis; near entries may be stale after an outage anyway.
        if (kind.near() && breaker.state() == CircuitBreaker.State.CLOSED && nearUsable()) {
            Near hit = near.get(name);
            if (hit != null && hit.expiresAt() - System.nanoTime() > 0) {
                counters.nearHits.increment();
                return (T) hit.value();
            }
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = inflight.putIfAbsent(name, mine);
        if (running != null) {
            try {
                return (T) running.join();
            } catch (CompletionException failed) {
                throw failed.getCause() instanceof RuntimeException runtime ? runtime : failed;
            }
        }
        try {
            T value = fromRedisOrLoad(kind, name, type, loader, counters, seen);
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error failure) {
            mine.completeExceptionally(failure);
            throw failure;
        } finally {
            // Whatever happened, nobody waiting on this load may be left waiting.
            if (!mine.isDone()) {
                mine.completeExceptionally(new IllegalStateException("cache load for " + name + " ended without a value"));
            }
            inflight.remove(name, mine);
        }
    }

    private <T> T fromRedisOrLoad(CacheKind kind, String name, JavaType type, Supplier<T> loader, Counters counters,
                                  long seen) {
        try {
            String raw = read(name, counters);
            if (raw != null) {
                counters.redisHits.increment();
                T value = json.readValue(raw, type);
                keepNear(kind, name, value, seen);
                return value;
            }
        } catch (RedisDown down) {
            return load(counters, loader);
        } catch (java.io.IOException unreadable) {
            LOG.warn("Unreadable cache entry {} dropped", name);
        }
        counters.misses.increment();
        RLock lock = redis.getLock("cache-lock:" + name);
        long threadId = Thread.currentThread().getId();
        boolean locked = false;
        try {
            try {
                // Another node is loading: its value is looked for every LOCK_POLL until the lock is
                // free (then this node loads) or LOCK_WAIT has passed. Redisson's own wait for a lock
                // listens for its release on pub/sub, which can be missed; polling cannot miss it.
                long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
                while (true) {
                    locked = tryLock(lock, threadId, name, counters);
                    // Whoever held the lock has probably stored the value by now.
                    String raw = read(name, counters);
                    if (raw != null) {
                        T value = json.readValue(raw, type);
                        keepNear(kind, name, value, seen);
                        return value;
                    }
                    if (locked || System.nanoTime() - deadline > 0
                            || breaker.state() != CircuitBreaker.State.CLOSED) {
                        break;
                    }
                    Thread.sleep(LOCK_POLL.toMillis());
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } catch (RedisDown counted) {
                // Loaded below without the lock.
            } catch (RuntimeException | java.io.IOException lockUnavailable) {
                counters.errors.increment();
            }
            T value = load(counters, loader);
            // Loaded inside a caller's transaction, it may include writes that are not committed yet.
            if (!invalidatedSince(name, seen) && !transactions.active()) {
                write(kind, name, value, counters);
                keepNear(kind, name, value, seen);
            }
            return value;
        } finally {
            if (locked) {
                unlock(lock, threadId, name);
            }
        }
    }

    /**
     * Takes {@code lock} if it is free, within the cache's Redis timeout. A reply that comes after
     * the timeout may still have taken it: it is then released at once.
     */
    private boolean tryLock(RLock lock, long threadId, String name, Counters counters) throws RedisDown {
        CompletableFuture<Boolean> taking = lock.tryLockAsync(0, LOCK_LEASE.toMillis(), TimeUnit.MILLISECONDS, threadId)
                .toCompletableFuture();
        try {
            boolean taken = taking.get(timeoutMillis, TimeUnit.MILLISECONDS);
            breaker.success();
            return taken;
        } catch (InterruptedException | ExecutionException | TimeoutException failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            counters.errors.increment();
            breaker.failure();
            taking.thenAccept(taken -> {
                if (taken) {
                    unlock(lock, threadId, name);
                }
            });
            throw new RedisDown(failure);
        }
    }

    private void unlock(RLock lock, long threadId, String name) {
        try {
            lock.unlockAsync(threadId).whenComplete((released, failure) -> {
                if (failure != null) {
                    LOG.debug("Cache lock {} left to expire: {}", name, failure.getMessage());
                }
            });
        } catch (RuntimeException redisDown) {
            LOG.debug("Cache lock {} left to expire", name);
        }
    }

    private <T> T load(Counters counters, Supplier<T> loader) {
        long start = System.nanoTime();
        try {
            return loader.get();
        } finally {
            counters.loads.increment();
            counters.loadNanos.add(System.nanoTime() - start);
        }
    }

    private String read(String name, Counters counters) throws RedisDown {
        try {
            String raw = redis.<String>getBucket(name, StringCodec.INSTANCE).getAsync().toCompletableFuture()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            breaker.success();
            return raw;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new RedisDown(interrupted);
        } catch (Exception failure) {
            counters.errors.increment();
            breaker.failure();
            throw new RedisDown(failure);
        }
    }

    private void write(CacheKind kind, String name, Object value, Counters counters) {
        String raw;
        try {
            raw = json.writeValueAsString(value);
        } catch (java.io.IOException unserialisable) {
            LOG.warn("Value for {} not cacheable: {}", name, unserialisable.getMessage());
            return;
        }
        Duration ttl = value == null ? min(NEGATIVE_TTL, config.ttl(kind)) : jittered(config.ttl(kind));
        try {
            // Stored before the lock is released: the callers waiting on it read Redis next.
            redis.<String>getBucket(name, StringCodec.INSTANCE).setAsync(raw, ttl).toCompletableFuture()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            counters.sets.increment();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception redisDown) {
            counters.errors.increment();
            breaker.failure();
        }
    }

    private void keepNear(CacheKind kind, String name, Object value, long seen) {
        if (!kind.near() || !nearUsable() || invalidatedSince(name, seen)) {
            return;
        }
        if (near.size() >= config.nearMaxEntries()) {
            near.clear();
        }
        Duration ttl = value == null ? min(NEGATIVE_TTL, config.ttl(kind)) : config.ttl(kind);
        near.put(name, new Near(value, System.nanoTime() + ttl.toNanos()));
    }

    /** Only while subscribed and Redis answered the watch lately: otherwise announcements may be missed. */
    private boolean nearUsable() {
        return subscribed && System.nanoTime() - lastAnswer < NEAR_TRUST_NANOS;
    }

    // ---- invalidation ----

    /** Drops one key, after the current transaction commits (at once when there is none). */
    public void invalidate(CacheKind kind, UUID workspaceId, String key) {
        afterCommit(kind.name() + "|" + workspaceId + "|" + key);
    }

    /** Drops a kind's keys: of one workspace, or of all when {@code workspaceId} is null. */
    public void invalidateKind(CacheKind kind, UUID workspaceId) {
        afterCommit(kind.name() + "|" + (workspaceId == null ? ANY : workspaceId) + "|" + ANY);
    }

    /** Drops every key of one workspace, leaving other workspaces' keys. */
    public void invalidateWorkspace(UUID workspaceId) {
        afterCommit(ANY + "|" + workspaceId + "|" + ANY);
    }

    /** Drops everything the cache holds. */
    public void invalidateAll() {
        afterCommit(ANY + "|" + ANY + "|" + ANY);
    }

    private void afterCommit(String scope) {
        transactions.afterCommit(() -> evict(scope));
    }

    private void evict(String scope) {
        evict(scope, false);
    }

    /**
     * Removes the scope here, in Redis and on every other node; remembered for the watch to replay
     * when Redis is away. A key is removed once more a second after its last change ({@code again}):
     * a load on another node that read the old value before this commit, and had not yet heard of
     * it, may have stored it back meanwhile. Changes of one key in quick succession (a customer's
     * messages) share that late eviction: what a load stores back between two of them, the next
     * one's own eviction removes.
     */
    private void evict(String scope, boolean again) {
        applyLocally(scope);
        String[] parts = scope.split("\\|", 3);
        Counters counters = parts[0].equals(ANY) ? metrics.global : metrics.of(CacheKind.valueOf(parts[0]));
        if (!breaker.allow()) {
            remember(scope);
            return;
        }
        try {
            if (!parts[2].equals(ANY)) {
                redis.getKeys().unlinkAsync(name(CacheKind.valueOf(parts[0]), UUID.fromString(parts[1]), parts[2]))
                        .toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
            } else {
                redis.getKeys().unlinkByPatternAsync(pattern(parts[0], parts[1])).toCompletableFuture()
                        .get(Math.max(timeoutMillis, 5_000), TimeUnit.MILLISECONDS);
            }
            counters.deletes.increment();
            // Published before the write's response leaves, so other nodes drop their copies right away.
            topic().publishAsync(scope).toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
            breaker.success();
            if (!again && !parts[2].equals(ANY)) {
                evictLater(scope);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            remember(scope);
        } catch (Exception failure) {
            counters.errors.increment();
            breaker.failure();
            remember(scope);
            LOG.warn("Cache invalidation {} postponed until Redis answers: {}", scope, failure.getMessage());
        }
    }

    /** Makes the key's late eviction due a second from now; schedules it unless one is pending. */
    private void evictLater(String scope) {
        if (lateEvictions.put(scope, System.nanoTime() + LATE_EVICTION_NANOS) == null && !watcher.isShutdown()) {
            watcher.schedule(() -> lateEviction(scope), LATE_EVICTION_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /** Evicts the key once more if its latest change is a second old; otherwise waits until it is. */
    private void lateEviction(String scope) {
        while (true) {
            Long due = lateEvictions.get(scope);
            if (due == null) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                if (!watcher.isShutdown()) {
                    watcher.schedule(() -> lateEviction(scope), wait, TimeUnit.NANOSECONDS);
                }
                return;
            }
            if (lateEvictions.remove(scope, due)) {
                evict(scope, true);
                return;
            }
        }
    }

    private RTopic topic() {
        RTopic current = topic;
        return current != null ? current : redis.getTopic(TOPIC, StringCodec.INSTANCE);
    }

    private void remember(String scope) {
        if (missed.size() >= MAX_PENDING) {
            missedOverflow = true;
        } else {
            missed.add(scope);
        }
    }

    /** Redis is back: near copies may be stale; what it missed is replayed by the watch, off request threads. */
    private void recovered() {
        LOG.info("Redis answers again: cache back in use");
        dropNear();
    }

    /** Replays invalidations Redis missed (everything is dropped if too many were missed); on the watch thread. */
    private void replayMissed() {
        if (missedOverflow) {
            missedOverflow = false;
            missed.clear();
            evict(ANY + "|" + ANY + "|" + ANY, true);
            return;
        }
        for (String scope : Set.copyOf(missed)) {
            missed.remove(scope);
            evict(scope, true);
        }
    }

    /** Whether {@code name} (or everything) was invalidated here since {@code started} (nanoTime). */
    private boolean invalidatedSince(String name, long started) {
        Long at = invalidatedAt.get(name);
        return bulkInvalidatedAt - started >= 0 || (at != null && at - started >= 0);
    }

    private void applyLocally(String scope) {
        String[] parts = scope.split("\\|", 3);
        if (parts.length != 3) {
            return;
        }
        if (!parts[2].equals(ANY) && !parts[0].equals(ANY)) {
            String name = name(CacheKind.valueOf(parts[0]), UUID.fromString(parts[1]), parts[2]);
            invalidatedAt.put(name, System.nanoTime());
            near.remove(name);
            return;
        }
        bulkInvalidatedAt = System.nanoTime();
        String kindPrefix = parts[0].equals(ANY) ? "reistech:" : "reistech:" + CacheKind.valueOf(parts[0]).segment() + ":";
        String workspace = parts[1].equals(ANY) ? null : ":workspace:" + parts[1] + ":";
        Predicate<String> matches = name -> name.startsWith(kindPrefix) && (workspace == null || name.contains(workspace));
        near.keySet().removeIf(matches);
    }

    private void dropNear() {
        bulkInvalidatedAt = System.nanoTime();
        near.clear();
    }

    // ---- figures ----

    /** Metrics per kind and in total, with the breaker's state. */
    public Map<String, Object> metrics() {
        Map<String, Object> report = new java.util.LinkedHashMap<>(metrics.report());
        report.put("breaker", breaker.state().name());
        report.put("nearEntries", near.size());
        report.put("pendingInvalidations", missed.size());
        return report;
    }

    /** Hits / (hits + misses) over every kind since start-up. */
    public double hitRate() {
        return (double) metrics.total().figures().get("hitRate");
    }

    /** True while the breaker keeps Redis out of the path. */
    public boolean degraded() {
        return breaker.state() != CircuitBreaker.State.CLOSED;
    }

    /** The Redis name of a key (before the installation's prefix). */
    public static String name(CacheKind kind, UUID workspaceId, String key) {
        return "reistech:" + kind.segment() + ":workspace:" + workspaceId + ":" + key;
    }

    private static String pattern(String kind, String workspace) {
        return "reistech:" + (kind.equals(ANY) ? ANY : CacheKind.valueOf(kind).segment()) + ":workspace:" + workspace + ":*";
    }

    private static Duration jittered(Duration ttl) {
        long millis = ttl.toMillis();
        return Duration.ofMillis(Math.max(1, millis + ThreadLocalRandom.current().nextLong(-millis / 10, millis / 10 + 1)));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
