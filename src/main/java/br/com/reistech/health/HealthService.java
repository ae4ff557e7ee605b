package br.com.reistech.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Liveness, readiness and the full health report.
 * <ul>
 *   <li>ready: start-up finished (migrations ran, services built, cache warmed), the application is
 *       not draining for shutdown, and every critical check passes;</li>
 *   <li>report: every check with its status ({@code healthy}, {@code degraded}, {@code unhealthy}),
 *       duration in ms and figures; overall {@code unhealthy} when a critical check fails,
 *       {@code degraded} when any other check is not healthy, else {@code healthy}.</li>
 * </ul>
 * Checks run at most once per {@code HEALTH_CACHE_MS} (one caller computes, concurrent callers get
 * its result), so probing {@code /health} or {@code /ready} in a loop cannot load PostgreSQL or
 * Redis. Draining is not cached: {@code /ready} turns 503 the moment shutdown begins.
 */
public final class HealthService {

    private final List<HealthCheck> checks;
    private final Clock clock;
    private final Duration cacheFor;
    private final Instant startedAt;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private Report cached;
    private Instant cachedAt = Instant.MIN;

    public HealthService(List<HealthCheck> checks, Clock clock, Duration cacheFor) {
        this.checks = List.copyOf(checks);
        this.clock = clock;
        this.cacheFor = cacheFor;
        this.startedAt = clock.instant();
    }

    /** Start-up is complete: readiness may turn true. */
    public void markStarted() {
        started.set(true);
    }

    /** Shutdown began: readiness is false from now on, so the proxy stops sending traffic. */
    public void markDraining() {
        draining.set(true);
    }

    /** Drained by an operator, then put back: readiness follows the checks again. */
    public void resume() {
        draining.set(false);
    }

    /** Readiness, from the critical checks of the (cached) report. */
    public Report ready() {
        if (!started.get() || draining.get()) {
            // Answered without running (or waiting for) any check.
            return new Report(false, started.get() ? "draining" : "starting", Map.of(), clock.instant());
        }
        Report report = report();
        Map<String, Map<String, Object>> critical = new LinkedHashMap<>();
        boolean ok = true;
        for (HealthCheck check : checks) {
            if (check.critical()) {
                Map<String, Object> result = report.checks().get(check.name());
                critical.put(check.name(), result);
                ok &= "healthy".equals(result.get("status"));
            }
        }
        String status = ok ? "ready" : "not_ready";
        return new Report(ok, status, critical, report.computedAt());
    }

    /** The full report, computed at most once per cache period. */
    public synchronized Report report() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(cachedAt.plus(cacheFor))) {
            cached = compute();
            cachedAt = clock.instant();
        }
        return cached;
    }

    private Report compute() {
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        boolean criticalDown = false;
        boolean anyDown = false;
        for (HealthCheck check : checks) {
            Map<String, Object> result = timed(check);
            results.put(check.name(), result);
            boolean down = !"healthy".equals(result.get("status"));
            anyDown |= down;
            criticalDown |= down && check.critical();
        }
        String status = criticalDown ? "unhealthy" : anyDown ? "degraded" : "healthy";
        return new Report(!criticalDown, status, java.util.Collections.unmodifiableMap(results), clock.instant());
    }

    public Duration uptime() {
        return Duration.between(startedAt, clock.instant());
    }

    private static Map<String, Object> timed(HealthCheck check) {
        long start = System.nanoTime();
        HealthCheck.Result result;
        try {
            result = check.run();
        } catch (RuntimeException broken) {
            // A check must not throw; if one does, the report still comes, with that check failing.
            result = HealthCheck.Result.unhealthy(Map.of("error", broken.getClass().getSimpleName()));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", result.status().label());
        view.put("critical", check.critical());
        view.put("durationMs", (System.nanoTime() - start) / 1_000_000);
        view.putAll(result.figures());
        return view;
    }

    /**
     * @param ok whether the HTTP answer is 200 (else 503)
     * @param computedAt when the checks ran (reports are cached for {@code HEALTH_CACHE_MS})
     */
    public record Report(boolean ok, String status, Map<String, Map<String, Object>> checks, Instant computedAt) {
    }
}
