package br.com.reistech.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.api.RedissonClient;

/**
 * Redis answers one round trip within the timeout. Not critical: the cache and the rate limiter
 * have fallbacks, so a Redis outage degrades the service instead of stopping it.
 */
public final class RedisCheck implements HealthCheck {

    private final RedissonClient redis;
    private final Duration timeout;

    public RedisCheck(RedissonClient redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        try {
            redis.getBucket("health:probe").isExistsAsync().toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Result.healthy(Map.of());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Result.unhealthy(Map.of("error", "interrupted"));
        } catch (ExecutionException | TimeoutException | RuntimeException failure) {
            return Result.unhealthy(Map.of("error", failure instanceof TimeoutException ? "timeout" : "unreachable"));
        }
    }
}
