package br.com.reistech.whatsapp;

import br.com.reistech.concurrent.CircuitBreaker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Outbound pacing across the whole cluster: at most {@code perSecond} messages per phone number
 * (Meta's throughput limit is the number's, however many nodes send for it), and at least
 * {@code recipientInterval} between two messages to one recipient. {@link #await} reserves the
 * next free slot in Redis (one script, on Redis's clock) and blocks the sending worker until it.
 * <p>
 * A recipient's interval also holds the number's next slot back: with
 * {@code WHATSAPP_RECIPIENT_INTERVAL_MS} set, a burst to one customer delays the number's other sends.
 * <p>
 * When Redis does not answer within {@code redisWait} the slot is reserved on this node alone, so
 * sending goes on; a cluster may then exceed the number's pace, which Meta answers with error
 * 130429, retried with backoff by {@link OutboundSender}. A breaker stops asking Redis after five
 * failures in a row and probes it again every five seconds, so an outage costs at most five waits
 * and then one every five seconds.
 */
final class Pacer {

    /**
     * KEYS: the number's next slot, the recipient's next slot (the same hash slot, for a Redis
     * Cluster); ARGV: microseconds between two sends of the number, and to the recipient (0: none).
     * Returns the microseconds to wait for the slot reserved. A stored slot further ahead than ARGV[3]
     * µs plus the recipient interval (Redis's clock stepped back, a failover to a server whose clock
     * is behind) is ignored, so sending never stalls on it.
     */
    private static final String RESERVE = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local number, recipient, stale = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local function ahead(key)
              local stored = tonumber(redis.call('GET', key) or now)
              if stored > now + stale + recipient then return now end
              return stored
            end
            local function keep(key, next)
              redis.call('SET', key, string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1000)
            end
            local slot = math.max(now, ahead(KEYS[1]))
            if recipient > 0 then
              slot = math.max(slot, ahead(KEYS[2]))
              keep(KEYS[2], slot + recipient)
            end
            keep(KEYS[1], slot + number)
            return slot - now""";

    /**
     * How far ahead a number's slot may legitimately be: 10 s, or 256 of its intervals when longer
     * (every sending worker of several nodes holding a reservation at a slow pace).
     */
    private final long staleMicros;

    private final long numberIntervalNanos;
    private final long recipientIntervalNanos;
    private final RedissonClient redis;
    private final Duration redisWait;
    private final CircuitBreaker breaker = new CircuitBreaker(5, TimeUnit.SECONDS.toNanos(5), System::nanoTime, () -> {
    });
    private final Map<String, Long> nextByNumber = new LinkedHashMap<>();
    private final Map<String, Long> nextByRecipient = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 100_000;
        }
    };

    Pacer(RedissonClient redis, Duration redisWait, int perSecond, Duration recipientInterval) {
        this.redis = redis;
        this.redisWait = redisWait;
        this.numberIntervalNanos = 1_000_000_000L / perSecond;
        this.recipientIntervalNanos = recipientInterval.toNanos();
        this.staleMicros = Math.max(10_000_000L, 256 * numberIntervalNanos / 1000);
    }

    /** The longest {@link #await} can wait: a number's slot as far ahead as it may be, then a recipient's interval. */
    Duration longestWait() {
        return Duration.ofNanos(staleMicros * 1000 + recipientIntervalNanos);
    }

    void await(String phoneNumberId, String recipient) throws InterruptedException {
        long wait = breaker.allow() ? reserveInRedis(phoneNumberId, recipient) : -1;
        if (wait < 0) {
            wait = reserveHere(phoneNumberId, recipient);
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Nanoseconds to the slot reserved for the cluster; -1 when Redis did not answer in time. */
    private long reserveInRedis(String phoneNumberId, String recipient) throws InterruptedException {
        String tag = "whatsapp:pace:{" + phoneNumberId + "}:";
        try {
            Long micros = redis.getScript(StringCodec.INSTANCE).<Long>evalAsync(tag + "number", RScript.Mode.READ_WRITE,
                            RESERVE, RScript.ReturnType.INTEGER, List.of(tag + "number", tag + "to:" + recipient),
                            Long.toString(numberIntervalNanos / 1000), Long.toString(recipientIntervalNanos / 1000),
                            Long.toString(staleMicros))
                    .toCompletableFuture().get(redisWait.toMillis(), TimeUnit.MILLISECONDS);
            breaker.success();
            return TimeUnit.MICROSECONDS.toNanos(micros);
        } catch (ExecutionException | TimeoutException | RuntimeException unavailable) {
            breaker.failure();
            return -1;
        }
    }

    /** Nanoseconds to the slot reserved on this node alone. */
    private synchronized long reserveHere(String phoneNumberId, String recipient) {
        long now = System.nanoTime();
        String to = phoneNumberId + ":" + recipient;
        long slot = Math.max(now, Math.max(nextByNumber.getOrDefault(phoneNumberId, now),
                nextByRecipient.getOrDefault(to, now)));
        nextByNumber.put(phoneNumberId, slot + numberIntervalNanos);
        if (recipientIntervalNanos > 0) {
            nextByRecipient.put(to, slot + recipientIntervalNanos);
        }
        return slot - now;
    }
}
