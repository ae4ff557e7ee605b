package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What operators see: metrics, health details and who may see them, JMX from a remote console. */
@ExtendWith(Environment.Extension.class)
class ObservabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An address outside the monitoring networks, as Nginx (the trusted proxy) would forward it. */
    private static final String OUTSIDER = "203.0.113.77";
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*,?\\})?"
                    + " (NaN|[+-]?Inf|[+-]?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)( -?[0-9]+)?");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");

    @Test
    void metricsParseAsPrometheusTextAndCoverRequestsLimitsCachePoolJvmAndTomcat(Environment env) throws Exception {
        String token = env.platformToken();
        assertThat(env.api().call("GET", "/api/auth/me", token, null).status()).isEqualTo(200);
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        java.util.UUID queued = store.queuedConversation("5511910000077");
        store.user("metricas@fila.example", "AGENT");
        assertThat(store.api.call("POST", "/api/queue/" + queued + "/take", store.token("metricas@fila.example"), null)
                .status()).isEqualTo(200);
        // The bot's replies are sent in the background: sends are counted once they left.
        await().atMost(Duration.ofSeconds(30)).until(() -> env.tomcat.get("/metrics").body()
                .contains("reistech_whatsapp_sends_total{application=\"reistech\",code=\"none\",outcome=\"sent\"}"));
        HttpResponse<String> response = env.tomcat.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow().replace(" ", "")).startsWith("text/plain;version=0.0.4");

        Set<String> typed = new HashSet<>();
        Set<String> families = new HashSet<>();
        for (String line : response.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertThat(typed.add(type.group(1))).as("one TYPE per family: %s", line).isTrue();
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a valid sample line: %s", line).isTrue();
            String family = sample.group(1).replaceAll("_(bucket|count|sum|total|created|max)$", "");
            assertThat(typed.stream().anyMatch(t -> sample.group(1).equals(t) || family.startsWith(t) || t.startsWith(family)))
                    .as("TYPE declared before %s", line).isTrue();
            families.add(sample.group(1));
        }
        assertThat(response.body())
                .contains("http_server_requests_seconds_bucket{application=\"reistech\",method=\"GET\",route=\"/api/auth/me\",status=\"200\"")
                .contains("reistech_ratelimit_decisions_total{application=\"reistech\",outcome=\"allowed\",policy=\"api\"}")
                .contains("reistech_cache_requests_total{application=\"reistech\",kind=\"user_permissions\"")
                .contains("reistech_websocket_clients", "reistech_ratelimit_bans_total")
                .containsPattern("reistech_queue_wait_seconds_count\\{application=\"reistech\"\\} [1-9]")
                .containsPattern("http_server_requests_seconds_count\\{application=\"reistech\",method=\"POST\","
                        + "route=\"/api/queue/\\{id\\}/take\",status=\"200\"\\} [1-9]")
                .contains("log4j2_events_total{application=\"reistech\",level=\"error\"}");
        // tomcat-conf/server.xml's connectors share the executor "workers" of 200 threads.
        assertThat(response.body()).containsPattern("tomcat_threads_config_max_threads\\{application=\"reistech\",pool=\"workers\"\\} 200");
        assertThat(families).contains("hikaricp_connections_active", "jvm_memory_used_bytes", "jvm_threads_live_threads",
                "process_cpu_usage", "tomcat_threads_busy_threads", "tomcat_threads_config_max_threads");
        // Raw paths never become labels: the route is the template.
        assertThat(response.body()).doesNotContain("route=\"/api/workspaces/" + java.util.UUID.randomUUID().toString().substring(0, 4));
    }

    @Test
    void metricsAreRefusedOutsideTheMonitoringNetworksUnlessAPlatformAdministratorAsks(Environment env) throws Exception {
        HttpResponse<String> outsider = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/metrics"))
                .header("X-Forwarded-For", OUTSIDER).GET().build());
        assertThat(outsider.statusCode()).isEqualTo(403);
        assertThat(outsider.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(outsider.body()).doesNotContain("jvm_");

        HttpResponse<String> admin = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/metrics"))
                .header("X-Forwarded-For", OUTSIDER).header("Authorization", "Bearer " + env.platformToken()).GET().build());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void healthShowsEveryCheckToTheMonitoringNetworkAndOnlyTheStatusToOthers(Environment env) throws Exception {
        JsonNode inside = JSON.readTree(env.tomcat.get("/health").body());
        assertThat(inside.path("status").asText()).isIn("healthy", "degraded");
        for (String check : List.of("database", "redis", "cache", "rateLimiter", "websocket", "whatsapp", "memory", "cpu", "disk")) {
            JsonNode result = inside.path("checks").path(check);
            assertThat(result.path("status").asText()).as(check).isIn("healthy", "degraded", "unhealthy");
            assertThat(result.path("durationMs").isIntegralNumber()).as(check).isTrue();
        }
        assertThat(inside.path("checks").path("memory").path("heapMaxMb").asLong()).isPositive();
        assertThat(inside.path("checks").path("cpu").path("cores").asInt()).isPositive();
        assertThat(inside.path("checks").path("disk").path("logs").path("writable").asBoolean()).isTrue();
        assertThat(inside.path("checks").path("cache").path("breaker").asText()).isEqualTo("closed");
        assertThat(inside.path("checks").path("rateLimiter").path("status").asText()).isEqualTo("healthy");

        HttpResponse<String> outside = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/health"))
                .header("X-Forwarded-For", OUTSIDER).GET().build());
        JsonNode bare = JSON.readTree(outside.body());
        assertThat(bare.path("status").asText()).isEqualTo(inside.path("status").asText());
        assertThat(bare.has("checks")).isFalse();
        assertThat(bare.has("uptime")).isFalse();
    }

    @Test
    void healthReportIsComputedAtMostOncePerCachePeriod(Environment env) throws Exception {
        String first = JSON.readTree(env.tomcat.get("/health").body()).path("computedAt").asText();
        String second = JSON.readTree(env.tomcat.get("/health").body()).path("computedAt").asText();
        String ready = JSON.readTree(env.tomcat.get("/ready").body()).path("computedAt").asText();
        // Three requests within milliseconds: one computation, or two when the first came right at expiry
        // (then the second and third share the new one). Computed each time, all three would differ.
        assertThat(second.equals(first) || second.equals(ready)).as("served from the cached report: %s %s %s",
                first, second, ready).isTrue();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> !JSON.readTree(env.tomcat.get("/health").body()).path("computedAt").asText().equals(first));
    }

    @Test
    void remoteJmxClientReadsHealthAndInvalidatesTheCacheAndClearsAnAddress(Environment env) throws Exception {
        try (JMXConnector connector = env.tomcat.jmxConnect()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertThat(jmx.getAttribute(new ObjectName("br.com.reistech:type=Health,context=ROOT"), "Status"))
                    .isIn("healthy", "degraded");
            ObjectName cache = new ObjectName("br.com.reistech:type=Cache,context=ROOT");
            jmx.invoke(cache, "invalidateKind", new Object[] {"cms_text", ""}, new String[] {"java.lang.String", "java.lang.String"});
            assertThat(((Number) ((java.util.Map<?, ?>) toMap(jmx.getAttribute(cache, "Counters"))).get("cms_text.deletes")).longValue())
                    .isPositive();

            ObjectName limiter = new ObjectName("br.com.reistech:type=RateLimiter,context=ROOT");
            jmx.invoke(limiter, "ban", new Object[] {"198.51.100.23", 10L, "jmx test"},
                    new String[] {"java.lang.String", "long", "java.lang.String"});
            HttpRequest banned = HttpRequest.newBuilder(env.tomcat.uri("/api/auth/me"))
                    .header("X-Forwarded-For", "198.51.100.23").GET().build();
            assertThat(env.tomcat.send(banned).statusCode()).isEqualTo(429);
            jmx.invoke(limiter, "clear", new Object[] {"198.51.100.23"}, new String[] {"java.lang.String"});
            assertThat(env.tomcat.send(banned).statusCode()).isEqualTo(401);

            ObjectName logging = new ObjectName("br.com.reistech:type=Logging,context=ROOT");
            jmx.invoke(logging, "setLevel", new Object[] {"br.com.reistech.cache", "DEBUG"},
                    new String[] {"java.lang.String", "java.lang.String"});
            assertThat(jmx.invoke(logging, "level", new Object[] {"br.com.reistech.cache"}, new String[] {"java.lang.String"}))
                    .isEqualTo("DEBUG");
            jmx.invoke(logging, "resetLevels", new Object[0], new String[0]);
            assertThat(jmx.invoke(logging, "level", new Object[] {"br.com.reistech.cache"}, new String[] {"java.lang.String"}))
                    .isEqualTo("INFO");

            assertThat(jmx.queryNames(new ObjectName("com.zaxxer.hikari:type=Pool (reistech-db-ROOT)"), null)).hasSize(1);
            assertThat((Long) jmx.getAttribute(new ObjectName("br.com.reistech:type=Hibernate,context=ROOT"),
                    "TransactionCount")).isPositive();
            for (String type : List.of("WhatsApp", "Realtime", "Alerts", "Audit")) {
                assertThat(jmx.isRegistered(new ObjectName("br.com.reistech:type=" + type + ",context=ROOT"))).as(type).isTrue();
            }
        }
    }

    @Test
    void aDrainedNodeAnswersReady503AtOnceWhileItStillServesAndResumes(Environment env) throws Exception {
        ObjectName health = new ObjectName("br.com.reistech:type=Health,context=ROOT");
        try (JMXConnector connector = env.tomcat.jmxConnect()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertThat(env.tomcat.get("/ready").statusCode()).isEqualTo(200);
            jmx.invoke(health, "drain", new Object[0], new String[0]);
            try {
                HttpResponse<String> ready = env.tomcat.get("/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("draining");
                assertThat(jmx.getAttribute(health, "Readiness")).isEqualTo("draining");
                assertThat(env.tomcat.get("/alive").statusCode()).isEqualTo(200);
                assertThat(env.api().call("GET", "/api/auth/me", env.platformToken(), null).status()).isEqualTo(200);
            } finally {
                jmx.invoke(health, "resume", new Object[0], new String[0]);
            }
            assertThat(env.tomcat.get("/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void remoteJmxRefusesAWrongPassword(Environment env) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.tomcat.jmxConnect(TomcatServer.JMX_USER, "wrong").close())
                .isInstanceOf(SecurityException.class);
    }

    private static java.util.Map<String, Object> toMap(Object tabular) {
        java.util.Map<String, Object> map = new java.util.HashMap<>();
        for (Object row : ((javax.management.openmbean.TabularData) tabular).values()) {
            var data = (javax.management.openmbean.CompositeData) row;
            map.put((String) data.get("key"), data.get("value"));
        }
        return map;
    }
}
