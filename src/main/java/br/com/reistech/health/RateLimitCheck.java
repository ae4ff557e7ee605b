package br.com.reistech.health;

import java.util.Map;
import java.util.function.Supplier;

/** Which limiter decides: "redis" (cluster-wide, healthy) or "local" (per node, Redis away: degraded). */
public final class RateLimitCheck implements HealthCheck {

    private final Supplier<String> mode;

    public RateLimitCheck(Supplier<String> mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return "rateLimiter";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        String current = mode.get();
        Map<String, Object> figures = Map.of("mode", "redis".equals(current) ? "cluster-wide (Redis)"
                : "per node (Redis unreachable; login and sending limited per node)");
        return "redis".equals(current) ? Result.healthy(figures) : Result.unhealthy(figures);
    }
}
