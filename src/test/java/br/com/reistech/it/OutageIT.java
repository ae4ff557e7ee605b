package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application follows its dependencies' outages and recoveries without a restart. It runs as
 * its own context whose PostgreSQL and Redis connections pass through proxies this test can cut,
 * so the shared servers other tests use are never touched.
 */
@ExtendWith(Environment.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private TcpProxy postgres;
    private TcpProxy redis;
    private Environment env;

    @BeforeAll
    void deploy(Environment env) throws Exception {
        this.env = env;
        postgres = new TcpProxy("127.0.0.1", Environment.pgPort());
        redis = new TcpProxy("127.0.0.1", Environment.redisPort());
        Map<String, String> config = env.appConfig("outage", Map.of(
                "DB_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + env.database,
                "DB_CONNECT_TIMEOUT_MS", "1000",
                "REDIS_ADDRESSES", "redis://127.0.0.1:" + redis.port(),
                "REDIS_TIMEOUT_MS", "500",
                "CACHE_TIMEOUT_MS", "250",
                "RATE_LIMIT_TIMEOUT_MS", "250",
                "RATE_LIMIT_LOGIN", "5/900/3",
                "REDIS_KEY_PREFIX", env.redisPrefix + "-outage"));
        assertThat(env.tomcat.deploy("/outage", env.war, config)).startsWith("OK");
    }

    @AfterAll
    void undeploy() throws Exception {
        try {
            assertThat(env.tomcat.manager("undeploy?path=/outage")).startsWith("OK");
            assertThat(UndeployLeakIT.leakWarnings(env.tomcat.console(), "outage")).isEmpty();
        } finally {
            postgres.close();
            redis.close();
        }
    }

    @Test
    void readyIs503WhilePostgresIsUnreachableAnd200AgainWhenItReturns() throws Exception {
        assertThat(env.tomcat.get("/outage/ready").statusCode()).isEqualTo(200);
        postgres.cut();
        try {
            await().atMost(RECOVERY).until(() -> env.tomcat.get("/outage/ready").statusCode() == 503);
            JsonNode ready = JSON.readTree(env.tomcat.get("/outage/ready").body());
            assertThat(ready.path("checks").path("database").path("status").asText()).isEqualTo("unhealthy");
            assertThat(env.tomcat.get("/outage/health").statusCode()).isEqualTo(503);
            assertThat(env.tomcat.get("/outage/alive").statusCode()).isEqualTo(200);
        } finally {
            postgres.restore();
        }
        await().atMost(RECOVERY).until(() -> env.tomcat.get("/outage/ready").statusCode() == 200);
    }

    @Test
    void withPostgresUnreachableAWebhookDeliveryIs503AndMetasRetryIsStoredOnce() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        // A first delivery: the node now knows the account (its secret is cached).
        assertThat(deliver(store, "5511933330001", Meta.wamid()).statusCode()).isEqualTo(200);
        String wamid = Meta.wamid();
        postgres.cut();
        try {
            HttpResponse<String> refused = deliver(store, "5511933330002", wamid);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(refused.body()).path("type").asText()).endsWith("/service-unavailable");
        } finally {
            postgres.restore();
        }
        // Meta retries until it gets a 200; the message is stored once.
        await().atMost(RECOVERY).until(() -> deliver(store, "5511933330002", wamid).statusCode() == 200);
        assertThat(deliver(store, "5511933330002", wamid).statusCode()).isEqualTo(200);
        await().atMost(RECOVERY).until(() -> "1".equals(store.query(
                "select count(*)::text from message where wamid = ?", wamid)));
        assertThat(store.query("select count(*)::text from webhook_inbox where payload like '%' || ? || '%'", wamid))
                .isEqualTo("2");
    }

    /** A signed text message from {@code from} to the outage node's webhook. */
    private HttpResponse<String> deliver(ConnectedWorkspace store, String from, String wamid) throws Exception {
        byte[] raw = Meta.textMessage(store.phoneNumberId, from, "Ivo", wamid, "oi").getBytes(StandardCharsets.UTF_8);
        return env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/outage/api/whatsapp/webhook"))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Meta.sign(raw, ConnectedWorkspace.APP_SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
    }

    @Test
    void healthReportsRedisUnhealthyAndTheServiceDegradedWhileRedisIsUnreachableThenHealthyAgain()
            throws Exception {
        // An earlier outage test may still be settling (breakers close on their next probe).
        await().atMost(RECOVERY).until(() -> "healthy".equals(JSON.readTree(env.tomcat.get("/outage/health").body())
                .path("status").asText()));
        redis.cut();
        try {
            await().atMost(RECOVERY).until(() -> "unhealthy".equals(redisStatus()));
            var response = env.tomcat.get("/outage/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("degraded");
            assertThat(env.tomcat.get("/outage/ready").statusCode()).isEqualTo(200);
        } finally {
            redis.restore();
        }
        await().atMost(RECOVERY).until(() -> "healthy".equals(redisStatus()));
        // The cache's and the rate limiter's breakers close on their own next probes, no request needed.
        await().atMost(RECOVERY).until(() -> "healthy".equals(JSON.readTree(env.tomcat.get("/outage/health").body())
                .path("status").asText()));
    }

    @Test
    void withRedisUnreachableReadsKeepAnsweringFromPostgresWithoutWaitingAndHitsResumeWhenItReturns() throws Exception {
        ApiClient api = new ApiClient(env.tomcat);
        ApiClient.Tokens tokens = login(api);
        String texts = "/outage/api/cms/texts";
        assertThat(api.call("GET", texts, tokens.access(), null).status()).isEqualTo(200);
        redis.cut();
        try {
            // Requests fail over to PostgreSQL; after a few Redis failures the breaker opens.
            await().atMost(RECOVERY).until(() -> {
                assertThat(api.call("GET", texts, tokens.access(), null).status()).isEqualTo(200);
                return "OPEN".equals(metrics(api, tokens).path("breaker").asText());
            });
            long errorsBefore = metrics(api, tokens).at("/total/errors").asLong();
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long start = System.nanoTime();
                assertThat(api.call("GET", texts, tokens.access(), null).status()).isEqualTo(200);
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            Collections.sort(millis);
            System.out.printf("Reads with Redis down and the breaker open: p50 %d ms, p99 %d ms%n",
                    millis.get(24), millis.get(49));
            JsonNode open = metrics(api, tokens);
            // At most the one probe of an elapsed open period reached for Redis: no request waited for a
            // Redis timeout (the latencies printed above are PostgreSQL's through the test's TCP proxy).
            assertThat(open.at("/total/errors").asLong() - errorsBefore).isLessThanOrEqualTo(2);
            assertThat(open.at("/total/bypassed").asLong()).isGreaterThanOrEqualTo(50);
            // The report is cached (HEALTH_CACHE_MS): one computed before the cut may still be served.
            await().atMost(RECOVERY).until(() -> "unhealthy".equals(JSON.readTree(env.tomcat.get("/outage/health").body())
                    .path("checks").path("cache").path("status").asText()));
        } finally {
            redis.restore();
        }
        await().atMost(RECOVERY).until(() -> {
            api.call("GET", texts, tokens.access(), null);
            return "CLOSED".equals(metrics(api, tokens).path("breaker").asText());
        });
        long hits = metrics(api, tokens).at("/total/hits").asLong();
        api.call("GET", texts, tokens.access(), null);
        api.call("GET", texts, tokens.access(), null);
        assertThat(metrics(api, tokens).at("/total/hits").asLong()).isGreaterThan(hits);
    }

    @Test
    void withRedisUnreachableLoginStillStopsAtFivePerNodeAndTheApiStillAnswers() throws Exception {
        String ip = "100.64.77." + (int) (Math.random() * 200 + 1);
        redis.cut();
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(env.tomcat.send(java.net.http.HttpRequest.newBuilder(env.tomcat.uri("/outage/api/auth/login"))
                        .header("Content-Type", "application/json").header("X-Forwarded-For", ip)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("workspace", "demo")
                                .put("email", "fora" + i + "@x.example").put("password", "errada-123456").toString()))
                        .build()).statusCode());
            }
            assertThat(statuses.subList(0, 5)).containsOnly(401);
            assertThat(statuses.get(5)).isEqualTo(429);
            assertThat(env.tomcat.get("/outage/api/openapi.json").statusCode()).isEqualTo(200);
            await().atMost(RECOVERY).until(() -> "unhealthy".equals(JSON.readTree(env.tomcat.get("/outage/health").body())
                    .path("checks").path("rateLimiter").path("status").asText()));
        } finally {
            redis.restore();
        }
        await().atMost(RECOVERY).until(() -> {
            env.tomcat.get("/outage/api/openapi.json");
            return "healthy".equals(JSON.readTree(env.tomcat.get("/outage/health").body())
                    .path("checks").path("rateLimiter").path("status").asText());
        });
    }

    private ApiClient.Tokens login(ApiClient api) throws Exception {
        ApiClient.Reply reply = api.call("POST", "/outage/api/auth/login", null, JSON.createObjectNode()
                .put("workspace", "demo").put("email", Environment.ADMIN_EMAIL).put("password", env.adminPassword));
        assertThat(reply.status()).isEqualTo(200);
        return new ApiClient.Tokens(reply.text("accessToken"), reply.text("refreshToken"));
    }

    private JsonNode metrics(ApiClient api, ApiClient.Tokens tokens) throws Exception {
        ApiClient.Reply reply = api.call("GET", "/outage/api/admin/cache/metrics", tokens.access(), null);
        assertThat(reply.status()).isEqualTo(200);
        return reply.body();
    }

    private String redisStatus() throws Exception {
        return JSON.readTree(env.tomcat.get("/outage/health").body()).path("checks").path("redis").path("status").asText();
    }
}
