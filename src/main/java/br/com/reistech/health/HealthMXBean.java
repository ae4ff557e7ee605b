package br.com.reistech.health;

import java.util.Map;

/** {@code br.com.reistech:type=Health}: the health report as jconsole or VisualVM show it. */
public interface HealthMXBean {

    /** {@code healthy}, {@code degraded} or {@code unhealthy}. */
    String getStatus();

    /** {@code ready}, {@code starting}, {@code draining} or {@code not_ready}. */
    String getReadiness();

    long getUptimeSeconds();

    /** Each check's status, by name. */
    Map<String, String> getChecks();

    /** Each check's status, duration and figures, by name, as one line of text per check. */
    Map<String, String> getDetails();

    /**
     * Turns {@code /ready} 503 at once while the node goes on serving: Nginx's health checks take it
     * out of rotation, so it can then be stopped without failing a request. Undone by {@link #resume()}.
     */
    void drain();

    /** Ends a drain: readiness follows the checks again. */
    void resume();

    /** The MBean over {@code health}; a class, not a factory method: MXBean interfaces may only declare attributes and operations. */
    final class Of implements HealthMXBean {
        private final HealthService health;

        public Of(HealthService health) {
            this.health = health;
        }

        @Override
        public String getStatus() {
            return health.report().status();
        }

        @Override
        public String getReadiness() {
            return health.ready().status();
        }

        @Override
        public long getUptimeSeconds() {
            return health.uptime().toSeconds();
        }

        @Override
        public Map<String, String> getChecks() {
            Map<String, String> checks = new java.util.TreeMap<>();
            health.report().checks().forEach((name, check) -> checks.put(name, String.valueOf(check.get("status"))));
            return checks;
        }

        @Override
        public void drain() {
            health.markDraining();
        }

        @Override
        public void resume() {
            health.resume();
        }

        @Override
        public Map<String, String> getDetails() {
            Map<String, String> details = new java.util.TreeMap<>();
            health.report().checks().forEach((name, check) -> details.put(name, check.toString()));
            return details;
        }
    }
}
