package br.com.reistech.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.logging.Log4j2Metrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * The node's Prometheus registry ({@code GET /metrics}) and the meters recorded on the request
 * path. Built first by the composition root and closed last, which detaches every JVM listener it
 * installed (GC notifications, the log4j event counter) so that nothing of the webapp stays
 * reachable after undeploy.
 *
 * <p>What it holds, beyond what features register themselves:
 * <ul>
 *   <li>{@code http_server_requests_seconds{method,route,status}}: a histogram with fixed buckets
 *       (5 ms to 10 s); {@code route} is the JAX-RS template ({@code /api/catalog/items/{id}}) or the
 *       servlet's fixed path, never the raw path, so its cardinality is bounded;</li>
 *   <li>JVM memory, GC, threads, class loading, CPU, uptime, file descriptors;</li>
 *   <li>{@code log4j2_events_total{level}}: log events by level, which the alerts watch for error bursts;</li>
 *   <li>{@code tomcat_threads_*{pool}}: Tomcat's connector thread pools, read from Tomcat's MBeans.</li>
 * </ul>
 */
public final class Metrics implements AutoCloseable {

    /** Request attribute holding the route template of a request, set by whoever resolved it. */
    public static final String ROUTE = "reistech.route";

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Log4j2Metrics logEvents;
    private final ConcurrentMap<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Set<ObjectName> tomcatPools = ConcurrentHashMap.newKeySet();
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private record RequestKey(String method, String route, int status) {
    }

    public Metrics() {
        registry.config().commonTags("application", "reistech");
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        logEvents = new Log4j2Metrics(java.util.List.of(), (LoggerContext) LogManager.getContext(false));
        logEvents.bindTo(registry);
        tomcatThreads();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The registry in Prometheus text format 0.0.4. */
    public String scrape() {
        tomcatThreads();
        return registry.scrape();
    }

    /**
     * Records one HTTP request; {@code route} is a template or fixed path, never a raw path, and a
     * method outside the standard ones counts as {@code OTHER}: clients choose neither label.
     */
    public void request(String method, String route, int status, long nanos) {
        requests.computeIfAbsent(new RequestKey(METHODS.contains(method) ? method : "OTHER", route, status), key -> Timer.builder("http.server.requests")
                        .description("HTTP requests by route template and status")
                        .tags("method", key.method(), "route", key.route(), "status", Integer.toString(key.status()))
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Total log events at {@code level} (lower case: error, warn...) since start. */
    public double logEvents(String level) {
        Counter counter = registry.find("log4j2.events").tag("level", level).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Busy, current and maximum threads of each of Tomcat's connector pools (absent outside Tomcat).
     * Looked for again at each scrape: Tomcat registers a connector's pool when the connector starts,
     * which may be after this application.
     */
    private void tomcatThreads() {
        // A connector with its own pool reports it as ThreadPool; one on a shared <Executor>
        // (tomcat-conf/server.xml) reports -1 there, and the real figures under Executor.
        pools("*:type=ThreadPool,name=*", "currentThreadsBusy", "currentThreadCount", "maxThreads");
        pools("*:type=Executor,name=*", "activeCount", "poolSize", "maxThreads");
    }

    private void pools(String pattern, String busy, String current, String max) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> pools;
        try {
            pools = server.queryNames(new ObjectName(pattern), null);
        } catch (javax.management.MalformedObjectNameException impossible) {
            throw new IllegalStateException(impossible);
        }
        for (ObjectName pool : pools) {
            if (!tomcatPools.add(pool)) {
                continue;
            }
            String quoted = pool.getKeyProperty("name");
            String name = quoted.startsWith("\"") ? ObjectName.unquote(quoted) : quoted;
            gauge(server, pool, name, "tomcat.threads.busy", busy);
            gauge(server, pool, name, "tomcat.threads.current", current);
            gauge(server, pool, name, "tomcat.threads.config.max", max);
        }
    }

    private void gauge(MBeanServer server, ObjectName pool, String name, String meter, String attribute) {
        Gauge.builder(meter, server, s -> {
            try {
                return ((Number) s.getAttribute(pool, attribute)).doubleValue();
            } catch (Exception gone) {
                return Double.NaN;
            }
        }).tag("pool", name).baseUnit("threads").strongReference(false).register(registry);
    }

    @Override
    public void close() {
        gc.close();
        logEvents.close();
        registry.close();
    }
}
