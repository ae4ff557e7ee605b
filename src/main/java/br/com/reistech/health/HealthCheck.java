package br.com.reistech.health;

import java.util.Locale;
import java.util.Map;

/** One dependency or resource whose state the health report shows. */
public interface HealthCheck {

    /** Key of the check in the report, e.g. {@code database}. */
    String name();

    /** A failing critical check makes the application unhealthy; any other makes it degraded. */
    boolean critical();

    /** Runs the check; never throws, never waits longer than the check's own timeout. */
    Result run();

    /** A check's verdict; a critical check is either healthy or unhealthy. */
    enum Status {
        HEALTHY, DEGRADED, UNHEALTHY;

        /** As shown in reports: {@code healthy}, {@code degraded}, {@code unhealthy}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param figures what the check measured (pool sizes, latencies...) */
    record Result(Status status, Map<String, Object> figures) {
        public static Result healthy(Map<String, Object> figures) {
            return new Result(Status.HEALTHY, figures);
        }

        /** Working, but below a threshold (disk nearly full, heap nearly exhausted...). */
        public static Result degraded(Map<String, Object> figures) {
            return new Result(Status.DEGRADED, figures);
        }

        public static Result unhealthy(Map<String, Object> figures) {
            return new Result(Status.UNHEALTHY, figures);
        }

        public static Result of(boolean healthy, Map<String, Object> figures) {
            return healthy ? healthy(figures) : unhealthy(figures);
        }
    }
}
