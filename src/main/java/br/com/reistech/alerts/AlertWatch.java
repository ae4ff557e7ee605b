package br.com.reistech.alerts;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.health.HealthService;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Watches, every {@code ALERT_WATCH_SECONDS}, what operators are alerted of:
 * <ul>
 *   <li>{@code health}: the health report is not healthy (the failing checks are named);
 *       {@code health:unhealthy}: a critical check fails;</li>
 *   <li>{@code errors}: {@code ALERT_ERROR_BURST} or more errors logged within the last minute;</li>
 *   <li>{@code bans}: {@code ALERT_BAN_STORM} or more addresses banned within the last minute;</li>
 * </ul>
 * and lets {@link Alerts} announce settled recoveries. WhatsApp account failures are reported by the
 * sender as they happen.
 */
public final class AlertWatch implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(AlertWatch.class);

    private final Alerts alerts;
    private final HealthService health;
    private final Burst errors;
    private final Burst bans;
    private final OwnedThreads threads = new OwnedThreads("alert-watch");
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1, threads);

    /**
     * @param errorCount total errors logged since start
     * @param banCount total bans issued since start
     */
    public AlertWatch(Alerts alerts, HealthService health, DoubleSupplier errorCount, int errorBurst,
                      DoubleSupplier banCount, int banStorm) {
        this.alerts = alerts;
        this.health = health;
        this.errors = new Burst(errorCount, errorBurst);
        this.bans = new Burst(banCount, banStorm);
    }

    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::watch, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void watch() {
        try {
            HealthService.Report report = health.report();
            String failing = report.checks().entrySet().stream()
                    .filter(check -> !"healthy".equals(check.getValue().get("status")))
                    .map(check -> check.getKey() + " " + check.getValue().get("status"))
                    .collect(Collectors.joining(", "));
            alerts.observe("health", !"healthy".equals(report.status()), "health is " + report.status() + ": " + failing);
            alerts.observe("health:unhealthy", "unhealthy".equals(report.status()),
                    "a critical dependency is down: " + failing);
            long errorsLastMinute = errors.lastMinute();
            alerts.observe("errors", errors.burst(errorsLastMinute), errorsLastMinute + " errors logged in the last minute");
            long bansLastMinute = bans.lastMinute();
            alerts.observe("bans", bans.burst(bansLastMinute), bansLastMinute + " addresses banned in the last minute");
            alerts.tick();
        } catch (RuntimeException failure) {
            LOG.warn("Alert watch failed; the next round retries", failure);
        }
    }

    /** A counter's increase over the last minute, from samples taken at each watch. */
    private static final class Burst {
        private final DoubleSupplier total;
        private final int threshold;
        private final Deque<long[]> samples = new ArrayDeque<>();

        Burst(DoubleSupplier total, int threshold) {
            this.total = total;
            this.threshold = threshold;
        }

        long lastMinute() {
            long now = System.nanoTime();
            long count = (long) total.getAsDouble();
            samples.addLast(new long[] {now, count});
            while (samples.size() > 1 && now - samples.peekFirst()[0] > TimeUnit.SECONDS.toNanos(60)) {
                samples.removeFirst();
            }
            return count - samples.peekFirst()[1];
        }

        boolean burst(long lastMinute) {
            return lastMinute >= threshold;
        }
    }

    @Override
    public void close() {
        threads.stop(5, List.of(timer));
    }
}
