package br.com.reistech.health;

import java.util.Map;

/** One dependency or resource whose state the health report shows. */
public interface HealthCheck {

    /** Key of the check in the report, e.g. {@code database}. */
    String name();

    /** A failing critical check makes the application unhealthy; any other makes it degraded. */
    boolean critical();

    /** Runs the check; never throws, never waits longer than the check's own timeout. */
    Result run();

    /** @param figures what the check measured (pool sizes, latencies...) */
    record Result(boolean healthy, Map<String, Object> figures) {
        public static Result healthy(Map<String, Object> figures) {
            return new Result(true, figures);
        }

        public static Result unhealthy(Map<String, Object> figures) {
            return new Result(false, figures);
        }
    }
}
