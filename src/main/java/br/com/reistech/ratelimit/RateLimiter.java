package br.com.reistech.ratelimit;

import br.com.reistech.concurrent.CircuitBreaker;
import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.config.AppConfig;
import br.com.reistech.config.AppConfig.RateLimitConfig;
import br.com.reistech.web.ClientAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;

/**
 * Decides whether a request may proceed, exactly and for the whole cluster: every policy that
 * applies to the request, the client's ban and its violations are read and updated by one Lua
 * script, atomically, so concurrent requests on any nodes are never over-admitted. A request costs at
 * most one Redis command: while a node's script call is in flight, the decisions that arrive wait and
 * go together in the next call (up to {@value #BATCH}), decided one after another inside it. A
 * subject that keeps coming, far from its limit, is admitted on tokens the script reserved for this
 * node ({@link Leases}), without a call.
 * A window is a hash of ten counters, one per tenth of the window; a counter is counted while any
 * part of its tenth lies inside the sliding window, so a policy of q per w never admits q+1 in any w
 * (a client may wait up to a tenth of the window longer than an exact log would make it wait), and
 * the cost in time and memory stays the same however large q is (a log of every request would grow
 * with the limit).
 *
 * <p>Policies, the deny list and the allow list live in Redis too (changed at run time by the
 * administrators, over the configuration's values) and every node keeps a copy refreshed every
 * {@value #REFRESH_SECONDS} s, so checking them costs nothing per request. When Redis does not
 * answer, a circuit breaker sends decisions to this node's own limiter ({@link LocalLimiter})
 * without waiting, and back once Redis answers.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = LogManager.getLogger(RateLimiter.class);
    private static final int REFRESH_SECONDS = 2;
    private static final String TAG = "rl:{rl}:";
    static final String POLICIES = "rl:policies";
    static final String DENY = "rl:deny";
    static final String ALLOW = "rl:allow";
    private static final long LEVEL_MEMORY_MILLIS = Duration.ofDays(7).toMillis();
    /** Decisions carried by one script call at most. */
    private static final int BATCH = 64;
    /**
     * Decides a batch of requests, one after another, as if each had been a call of its own. ARGV:
     * the violations' decay, the ban durations, how long a ban level is remembered, then for each
     * request its number of items n and, per item, policy, limit, window, ban threshold and the
     * tokens this node would like reserved ({@link Leases}). KEYS, per request: its address's ban and
     * ban level, then per item its window and its violations. Returns, per request: status (ok,
     * limited, banned: by this request, refused: banned before), retry after, reason, then per item
     * remaining (after the reservation), reset, tokens reserved and milliseconds left in the tenth of
     * the window they were counted in.
     */
    private static final String DECIDE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local out, k, a = {}, 0, 3
            local function push(...)
              for i = 1, select('#', ...) do out[#out + 1] = select(i, ...) end
            end
            while a < #ARGV do
              local n = tonumber(ARGV[a + 1])
              local ban, level = KEYS[k + 1], KEYS[k + 2]
              local banned = redis.call('PTTL', ban)
              if banned > 0 then
                push('refused', banned, redis.call('GET', ban) or 'banned')
                for i = 1, n do push(0, 0, 0, 0) end
              else
                local counts, resets, buckets, widths, limited, retry = {}, {}, {}, {}, {}, 0
                for i = 1, n do
                  local w = KEYS[k + 1 + 2 * i]
                  local limit, window = tonumber(ARGV[a + 5 * i - 2]), tonumber(ARGV[a + 5 * i - 1])
                  local width = math.max(1, math.floor(window / 10))
                  local oldest = math.floor((now - window) / width)
                  local fields = redis.call('HGETALL', w)
                  local count, first = 0, nil
                  for j = 1, #fields, 2 do
                    local bucket = tonumber(fields[j])
                    if bucket < oldest then
                      redis.call('HDEL', w, fields[j])
                    else
                      count = count + tonumber(fields[j + 1])
                      if first == nil or bucket < first then first = bucket end
                    end
                  end
                  local reset = window
                  if first ~= nil then reset = (first + 1) * width + window - now end
                  counts[i], resets[i], buckets[i], widths[i] = count, reset, math.floor(now / width), width
                  if count >= limit then
                    limited[#limited + 1] = i
                    if reset > retry then retry = reset end
                  end
                end
                if #limited == 0 then
                  push('ok', 0, '')
                  for i = 1, n do
                    local w = KEYS[k + 1 + 2 * i]
                    local left = tonumber(ARGV[a + 5 * i - 2]) - counts[i] - 1
                    local lease = 0
                    if left >= 512 then lease = math.min(tonumber(ARGV[a + 5 * i + 1]), math.floor(left / 16)) end
                    redis.call('HINCRBY', w, buckets[i], 1 + lease)
                    redis.call('PEXPIRE', w, tonumber(ARGV[a + 5 * i - 1]) + widths[i])
                    push(left - lease, resets[i], lease, (buckets[i] + 1) * widths[i] - now)
                  end
                else
                  local status, reason = 'limited', ''
                  for _, i in ipairs(limited) do
                    local v = KEYS[k + 2 + 2 * i]
                    local violations = redis.call('INCR', v)
                    redis.call('PEXPIRE', v, tonumber(ARGV[1]))
                    local banAfter = tonumber(ARGV[a + 5 * i])
                    if status ~= 'banned' and banAfter > 0 and violations >= banAfter then
                      local lvl = redis.call('INCR', level)
                      redis.call('PEXPIRE', level, tonumber(ARGV[3]))
                      local durations = {}
                      for d in string.gmatch(ARGV[2], '[^,]+') do durations[#durations + 1] = tonumber(d) end
                      local length = durations[math.min(lvl, #durations)]
                      reason = ARGV[a + 5 * i - 3] .. ': ' .. violations .. ' violations, ban ' .. lvl
                      redis.call('SET', ban, reason, 'PX', length)
                      redis.call('DEL', v)
                      status, retry = 'banned', length
                    end
                  end
                  push(status, retry, reason)
                  for i = 1, n do
                    push(math.max(0, tonumber(ARGV[a + 5 * i - 2]) - counts[i]), resets[i], 0, 0)
                  end
                end
              end
              k = k + 2 + 2 * n
              a = a + 1 + 5 * n
            end
            return out""";

    private static final String DECIDE_SHA = sha1(DECIDE);

    private static final String VIOLATE = """
            local violations = redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
            if tonumber(ARGV[2]) > 0 and violations >= tonumber(ARGV[2]) then
              local level = redis.call('INCR', KEYS[3])
              redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[4]))
              local durations = {}
              for d in string.gmatch(ARGV[3], '[^,]+') do durations[#durations + 1] = tonumber(d) end
              local length = durations[math.min(level, #durations)]
              redis.call('SET', KEYS[2], 'refused input: ' .. violations .. ' violations, ban ' .. level, 'PX', length)
              redis.call('DEL', KEYS[1])
              return length
            end
            return 0""";

    /**
     * A request's decision waiting for the script call that carries it, with the leases it asks for
     * and, once answered, those granted (written before {@code result} completes).
     */
    private static final class Pending {
        final String ipSubject;
        final List<Decision.Item> items;
        final int[] wants;
        final int[] granted;
        final long[] validMillis;
        final CompletableFuture<Decision> result = new CompletableFuture<>();
        volatile long sentAt;

        Pending(String ipSubject, List<Decision.Item> items, int[] wants) {
            this.ipSubject = ipSubject;
            this.items = items;
            this.wants = wants;
            this.granted = new int[items.size()];
            this.validMillis = new long[items.size()];
        }
    }

    /** The administrators' view of the lists and policies every node applies. */
    record Snapshot(Map<String, Policy> policies, List<Cidr> deny, List<Cidr> allow) {
    }

    private final RedissonClient redis;
    private final RateLimitConfig config;
    private final long timeoutMillis;
    private final CircuitBreaker breaker;
    private final LocalLimiter local = new LocalLimiter();
    private final Leases leases = new Leases(System::nanoTime);
    private final LongAdder leasedDecisions = new LongAdder();
    private final OwnedThreads threads = new OwnedThreads("reistech-ratelimit");
    /**
     * Refreshes the lists and policies, sweeps the local limiter and times out script calls (two
     * threads, so a deadline fires while a refresh waits on Redis).
     */
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, threads);
    private final String banDurations;
    private volatile Snapshot snapshot;
    private final MeterRegistry registry;
    private final Counter bans;
    private final Map<String, Counter> decisions = new java.util.concurrent.ConcurrentHashMap<>();
    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean calling = new AtomicBoolean();

    @Inject
    public RateLimiter(RedissonClient redis, AppConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.registry = registry;
        this.bans = Counter.builder("reistech.ratelimit.bans").description("Addresses banned automatically")
                .register(registry);
        FunctionCounter.builder("reistech.ratelimit.leased", leasedDecisions, adder -> adder.sum())
                .description("Requests admitted on this node's leased tokens, without a Redis call").register(registry);
        this.config = config.rateLimit();
        this.timeoutMillis = this.config.timeout().toMillis();
        this.breaker = new CircuitBreaker(5, TimeUnit.SECONDS.toNanos(5), System::nanoTime, () -> {
            LOG.info("Redis answers again: rate limits are cluster-wide again");
            local.clearAll();
            leases.clear();
        });
        this.banDurations = this.config.banDurations().stream().map(d -> Long.toString(d.toMillis()))
                .collect(Collectors.joining(","));
        this.snapshot = merge(Map.of(), Map.of(), Map.of());
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Loads the run-time lists and policies and keeps them fresh; called by the composition root. */
    public void start() {
        refresh();
        scheduler.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> {
            local.sweep(System.currentTimeMillis(), name -> {
                Policy policy = snapshot.policies().get(name);
                return policy == null ? 0 : policy.window().toMillis();
            });
            leases.sweep();
        }, 1, 1, TimeUnit.MINUTES);
    }

    @PreDestroy
    void stop() {
        threads.stop(10, List.of(scheduler));
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Policy policy(String name) {
        return snapshot.policies().get(name);
    }

    /** "redis" (cluster-wide) or "local" (this node only, Redis unreachable). */
    public String mode() {
        return breaker.state() == CircuitBreaker.State.CLOSED ? "redis" : "local";
    }

    /**
     * The decision for a request from {@code ip} (normalised by Tomcat and {@link Subjects#ip})
     * subject to {@code items}: denied, skipped (allow list), banned, limited or allowed.
     */
    public Decision decide(String ip, String ipSubject, List<Decision.Item> items) {
        Decision decision = decision(ip, ipSubject, items);
        count(decision);
        return decision;
    }

    /**
     * {@code reistech_ratelimit_decisions_total{policy,outcome}}: each policy of a decision counted
     * once, {@code limited} where it was exceeded; denied and skipped requests under {@code none}.
     */
    private void count(Decision decision) {
        String kind = decision.kind().name().toLowerCase(java.util.Locale.ROOT);
        if (decision.items().isEmpty()) {
            decisionCounter("none", kind).increment();
            return;
        }
        List<String> violated = decision.kind() == Decision.Kind.LIMITED ? decision.violated() : List.of();
        for (Decision.Item item : decision.items()) {
            String policy = item.policy().name();
            decisionCounter(policy, decision.kind() == Decision.Kind.LIMITED && !violated.contains(policy) ? "allowed" : kind)
                    .increment();
        }
    }

    private Counter decisionCounter(String policy, String outcome) {
        return decisions.computeIfAbsent(policy + "/" + outcome, key -> Counter.builder("reistech.ratelimit.decisions")
                .description("Rate-limit decisions by policy and outcome")
                .tags("policy", policy, "outcome", outcome).register(registry));
    }

    /** Requests admitted on this node's leases since start ({@link Leases}). */
    public long leasedDecisions() {
        return leasedDecisions.sum();
    }

    /** Addresses banned automatically since start, on this node's decisions. */
    public double bansIssued() {
        return bans.count();
    }

    private Decision decision(String ip, String ipSubject, List<Decision.Item> items) {
        Snapshot current = snapshot;
        byte[] address = current.deny().isEmpty() && current.allow().isEmpty() ? null : Cidr.bytes(ip);
        if (current.deny().stream().anyMatch(cidr -> cidr.contains(address))) {
            return Decision.skipped(Decision.Kind.DENIED);
        }
        if (!config.enabled() || items.isEmpty() || current.allow().stream().anyMatch(cidr -> cidr.contains(address))) {
            return Decision.skipped(Decision.Kind.SKIPPED);
        }
        if (breaker.state() == CircuitBreaker.State.CLOSED) {
            Decision leased = leases.admit(ipSubject, items);
            if (leased != null) {
                leasedDecisions.increment();
                return leased;
            }
        }
        if (breaker.allow()) {
            try {
                Decision decision = decideInRedis(ipSubject, items);
                breaker.success();
                return decision;
            } catch (Exception failure) {
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                breaker.failure();
                LOG.debug("Rate limit decided on this node only: {}", failure.getMessage());
            }
        }
        return local.decide(items, System.currentTimeMillis());
    }

    private Decision decideInRedis(String ipSubject, List<Decision.Item> items) throws Exception {
        Pending pending = new Pending(ipSubject, items, leases.wants(items));
        Decision decision = null;
        waiting.add(pending);
        callIfIdle();
        try {
            decision = pending.result.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return decision;
        } catch (ExecutionException failure) {
            throw failure.getCause() instanceof Exception cause ? cause : failure;
        } catch (TimeoutException | InterruptedException givenUp) {
            // Decided locally instead: it must not count in Redis later, when a call carries it.
            pending.result.cancel(false);
            throw givenUp;
        } finally {
            leases.done(ipSubject, items, pending.wants, decision, pending.sentAt, pending.granted, pending.validMillis);
        }
    }

    /**
     * Sends the waiting decisions in one script call, unless a call is already in flight (its
     * completion sends the next): a node has one decision call in flight at a time, and the
     * decisions that arrive meanwhile share the next call, however many request threads wait.
     */
    private void callIfIdle() {
        while (!waiting.isEmpty() && calling.compareAndSet(false, true)) {
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < BATCH && (next = waiting.poll()) != null) {
                if (!next.result.isDone()) {
                    batch.add(next);
                }
            }
            if (batch.isEmpty()) {
                calling.set(false);
            } else {
                call(batch, true);
            }
        }
    }

    /**
     * EVALSHA of the decision script (the script's text is sent only when a Redis server does not
     * know it yet: after a restart, or the first time): the hot path pays for no hashing and no copy
     * of its arguments, which Redisson's own eval-with-fallback makes on every call.
     */
    private void call(List<Pending> batch, boolean loadWhenUnknown) {
        try {
            List<Object> keys = new ArrayList<>();
            List<Object> args = new ArrayList<>(List.of(Long.toString(config.violationDecay().toMillis()), banDurations,
                    Long.toString(LEVEL_MEMORY_MILLIS)));
            long sentAt = System.nanoTime();
            for (Pending pending : batch) {
                pending.sentAt = sentAt;
                keys.add(TAG + "ban:" + pending.ipSubject);
                keys.add(TAG + "level:" + pending.ipSubject);
                args.add(Integer.toString(pending.items.size()));
                for (int i = 0; i < pending.items.size(); i++) {
                    Decision.Item item = pending.items.get(i);
                    keys.add(TAG + "c:" + item.policy().name() + ":" + item.subject());
                    keys.add(TAG + "v:" + item.policy().name() + ":" + item.subject());
                    args.add(item.policy().name());
                    args.add(Integer.toString(item.policy().limit()));
                    args.add(Long.toString(item.policy().window().toMillis()));
                    // Only a client's address is banned: banning an account or a user would let anyone lock others out.
                    args.add(Integer.toString(item.subject().equals(pending.ipSubject) ? item.policy().banAfter() : 0));
                    args.add(Integer.toString(pending.wants[i]));
                }
            }
            RScript script = redis.getScript(StringCodec.INSTANCE);
            String key = keys.get(0).toString();
            // The call has the same deadline as its requests: a slow reply must not hold up the next batch.
            // The deadline completes a copy (thenApply), never Redisson's own future.
            CompletableFuture<List<Object>> answer = script.<List<Object>>evalShaAsync(key, RScript.Mode.READ_WRITE,
                    DECIDE_SHA, RScript.ReturnType.MULTI, keys, args.toArray()).toCompletableFuture().thenApply(reply -> reply);
            ScheduledFuture<?> deadline = scheduler.schedule(() -> answer.completeExceptionally(new TimeoutException(
                    "rate-limit script took over " + timeoutMillis + " ms")), timeoutMillis, TimeUnit.MILLISECONDS);
            answer.whenComplete((reply, failure) -> {
                deadline.cancel(false);
                try {
                    if (failure != null && loadWhenUnknown && unknownScript(failure)) {
                        script.scriptLoadAsync(key, DECIDE).whenComplete((sha, notLoaded) -> {
                            if (notLoaded != null) {
                                finish(batch, null, notLoaded);
                            } else {
                                call(batch, false);
                            }
                        });
                    } else {
                        finish(batch, reply, failure);
                    }
                } catch (RuntimeException unexpected) {
                    finish(batch, null, unexpected);
                }
            });
        } catch (RuntimeException failure) {
            finish(batch, null, failure);
        }
    }

    private static boolean unknownScript(Throwable failure) {
        return failure instanceof RedisNoScriptException || failure.getCause() instanceof RedisNoScriptException;
    }

    /** Completes each decision of the batch from its part of the reply, then sends what waits. */
    private void finish(List<Pending> batch, List<Object> reply, Throwable failure) {
        try {
            int at = 0;
            for (Pending pending : batch) {
                if (failure != null) {
                    pending.result.completeExceptionally(failure);
                } else {
                    pending.result.complete(decision(pending, reply, at));
                    at += 3 + 4 * pending.items.size();
                }
            }
        } catch (RuntimeException malformed) {
            batch.forEach(pending -> pending.result.completeExceptionally(malformed));
        } finally {
            calling.set(false);
            callIfIdle();
        }
    }

    /**
     * One request's decision, from its part of the script's reply starting at {@code at}; the
     * leases granted are left in {@code pending}.
     */
    private Decision decision(Pending pending, List<Object> reply, int at) {
        List<Decision.Item> items = pending.items;
        String status = String.valueOf(reply.get(at));
        long retry = number(reply.get(at + 1));
        String reason = reply.get(at + 2) == null ? "" : reply.get(at + 2).toString();
        if ("refused".equals(status)) {
            return Decision.banned(items, retry, reason);
        }
        long[] remaining = new long[items.size()];
        long[] reset = new long[items.size()];
        for (int i = 0; i < items.size(); i++) {
            pending.granted[i] = (int) number(reply.get(at + 5 + 4 * i));
            remaining[i] = number(reply.get(at + 3 + 4 * i)) + pending.granted[i];
            reset[i] = number(reply.get(at + 4 + 4 * i));
            pending.validMillis[i] = number(reply.get(at + 6 + 4 * i));
        }
        return switch (status) {
            case "ok" -> Decision.allowed(items, remaining, reset);
            case "banned" -> {
                bans.increment();
                yield new Decision(Decision.Kind.BANNED, items, remaining, reset, retry, reason);
            }
            default -> Decision.limited(items, remaining, reset, retry, reason);
        };
    }

    /**
     * A request from this address was refused by the input filters: a violation of the {@code api}
     * policy, banning the address at that policy's {@code banAfter}. Addresses on the allow list are
     * never counted. Best effort: skipped while Redis is away.
     *
     * @param address the client address as Tomcat resolved it
     */
    public void violation(String address) {
        String ip = ClientAddress.normalize(address);
        Snapshot current = snapshot;
        Policy api = current.policies().get("api");
        if (!config.enabled() || api == null || breaker.state() != CircuitBreaker.State.CLOSED
                || current.allow().stream().anyMatch(cidr -> cidr.contains(ip))) {
            return;
        }
        String ipSubject = Subjects.ip(ip);
        try {
            List<Object> keys = List.of(TAG + "v:input:" + ipSubject, TAG + "ban:" + ipSubject, TAG + "level:" + ipSubject);
            Object banned = redis.getScript(StringCodec.INSTANCE).evalAsync(keys.get(0).toString(), RScript.Mode.READ_WRITE, VIOLATE,
                    RScript.ReturnType.INTEGER, keys, Long.toString(config.violationDecay().toMillis()),
                    Integer.toString(api.banAfter()), banDurations, Long.toString(LEVEL_MEMORY_MILLIS))
                    .toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (banned instanceof Number length && length.longValue() > 0) {
                bans.increment();
            }
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("Input violation not counted: {}", failure.getMessage());
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    // ---- administration (RateLimitAdmin) ----

    /** Forgets an address's windows, violations, ban and ban level, in Redis and on this node. */
    void clear(String ipSubject) {
        List<String> names = new ArrayList<>(List.of(TAG + "ban:" + ipSubject, TAG + "level:" + ipSubject,
                TAG + "v:input:" + ipSubject));
        for (String policy : snapshot.policies().keySet()) {
            names.add(TAG + "c:" + policy + ":" + ipSubject);
            names.add(TAG + "v:" + policy + ":" + ipSubject);
        }
        redis.getKeys().delete(names.toArray(String[]::new));
        local.clear(ipSubject);
        leases.forget(ipSubject);
    }

    void ban(String ipSubject, Duration length, String reason) {
        redis.<String>getBucket(TAG + "ban:" + ipSubject, StringCodec.INSTANCE).set(reason, length);
        leases.forget(ipSubject);
    }

    boolean unban(String ipSubject) {
        return redis.getKeys().delete(TAG + "ban:" + ipSubject, TAG + "level:" + ipSubject) > 0;
    }

    /** Current bans: subject to reason and seconds left (a SCAN, for administrators only). */
    Map<String, Map<String, Object>> bans() {
        Map<String, Map<String, Object>> bans = new LinkedHashMap<>();
        for (String name : redis.getKeys().getKeysByPattern(TAG + "ban:*", 500)) {
            var bucket = redis.<String>getBucket(name, StringCodec.INSTANCE);
            long ttl = bucket.remainTimeToLive();
            String reason = bucket.get();
            if (reason != null && ttl > 0) {
                bans.put(name.substring(name.indexOf("ban:") + 4), Map.of("reason", reason, "secondsLeft", (ttl + 999) / 1000));
            }
        }
        return bans;
    }

    void putList(String list, Cidr cidr, String reason) {
        redis.<String, String>getMap(list, StringCodec.INSTANCE).fastPut(cidr.toString(), reason);
        refresh();
    }

    boolean removeList(String list, Cidr cidr) {
        boolean removed = redis.<String, String>getMap(list, StringCodec.INSTANCE).fastRemove(cidr.toString()) > 0;
        refresh();
        return removed;
    }

    void putPolicy(Policy policy) {
        redis.<String, String>getMap(POLICIES, StringCodec.INSTANCE).fastPut(policy.name(), policy.text());
        refresh();
    }

    /**
     * Re-reads the run-time lists and policies; keeps the last ones when Redis does not answer.
     * With the breaker open this is also its probe, so it closes without waiting for traffic.
     */
    void refresh() {
        boolean probing = breaker.state() != CircuitBreaker.State.CLOSED;
        if (probing && !breaker.allow()) {
            return;
        }
        try {
            Map<String, String> policies = redis.<String, String>getMap(POLICIES, StringCodec.INSTANCE).readAllMapAsync()
                    .toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
            Map<String, String> deny = redis.<String, String>getMap(DENY, StringCodec.INSTANCE).readAllMap();
            Map<String, String> allow = redis.<String, String>getMap(ALLOW, StringCodec.INSTANCE).readAllMap();
            snapshot = merge(policies, deny, allow);
            if (probing) {
                breaker.success();
            }
        } catch (Exception redisDown) {
            if (redisDown instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (probing) {
                breaker.failure();
            }
            LOG.debug("Rate-limit lists not refreshed: {}", redisDown.getMessage());
        }
    }

    private Snapshot merge(Map<String, String> policies, Map<String, String> deny, Map<String, String> allow) {
        Map<String, Policy> merged = new LinkedHashMap<>();
        config.policies().forEach((name, text) -> merged.put(name, Policy.parse(name, text)));
        policies.forEach((name, text) -> {
            if (merged.containsKey(name)) {
                try {
                    merged.put(name, Policy.parse(name, text));
                } catch (IllegalArgumentException invalid) {
                    LOG.warn("Run-time policy {} ignored: {}", name, invalid.getMessage());
                }
            }
        });
        return new Snapshot(Map.copyOf(merged), cidrs(config.deny(), deny), cidrs(config.allow(), allow));
    }

    private static List<Cidr> cidrs(List<String> configured, Map<String, String> runtime) {
        List<Cidr> cidrs = new ArrayList<>();
        configured.forEach(text -> cidrs.add(Cidr.parse(text)));
        runtime.keySet().forEach(text -> {
            try {
                cidrs.add(Cidr.parse(text));
            } catch (IllegalArgumentException invalid) {
                LOG.warn("Listed network {} ignored: {}", text, invalid.getMessage());
            }
        });
        return List.copyOf(cidrs);
    }
}
