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
 *   <li>ready: start-up finished (migrations ran, services built), the application is not draining
 *       for shutdown, and every critical check passes right now;</li>
 *   <li>report: every check with its status, duration in ms and figures; overall {@code healthy},
 *       {@code degraded} (a non-critical check fails) or {@code unhealthy} (a critical one fails).</li>
 * </ul>
 */
public final class HealthService {

    private final List<HealthCheck> checks;
    private final Clock clock;
    private final Instant startedAt;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();

    public HealthService(List<HealthCheck> checks, Clock clock) {
        this.checks = List.copyOf(checks);
        this.clock = clock;
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

    public Report ready() {
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        boolean ok = started.get() && !draining.get();
        for (HealthCheck check : checks) {
            if (check.critical()) {
                Map<String, Object> result = timed(check);
                results.put(check.name(), result);
                ok &= "healthy".equals(result.get("status"));
            }
        }
        String status = !started.get() ? "starting" : draining.get() ? "draining" : ok ? "ready" : "not_ready";
        return new Report(ok, status, results);
    }

    public Report report() {
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
        return new Report(!criticalDown, status, results);
    }

    public Duration uptime() {
        return Duration.between(startedAt, clock.instant());
    }

    private static Map<String, Object> timed(HealthCheck check) {
        long start = System.nanoTime();
        HealthCheck.Result result = check.run();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", result.healthy() ? "healthy" : "unhealthy");
        view.put("durationMs", (System.nanoTime() - start) / 1_000_000);
        view.putAll(result.figures());
        return view;
    }

    /** @param ok whether the HTTP answer is 200 (else 503) */
    public record Report(boolean ok, String status, Map<String, Map<String, Object>> checks) {
    }
}
