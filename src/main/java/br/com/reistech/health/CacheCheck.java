package br.com.reistech.health;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/** The cache's hit rate, and degraded while its breaker keeps Redis out of the path. Not critical. */
public final class CacheCheck implements HealthCheck {

    private final DoubleSupplier hitRate;
    private final BooleanSupplier bypassingRedis;

    public CacheCheck(DoubleSupplier hitRate, BooleanSupplier bypassingRedis) {
        this.hitRate = hitRate;
        this.bypassingRedis = bypassingRedis;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        boolean bypassing = bypassingRedis.getAsBoolean();
        Map<String, Object> figures = Map.of("hitRate", hitRate.getAsDouble(), "breaker", bypassing ? "open" : "closed",
                "mode", bypassing ? "database-only (Redis breaker open)" : "redis");
        return bypassing ? Result.unhealthy(figures) : Result.healthy(figures);
    }
}
