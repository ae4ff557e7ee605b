package br.com.reistech.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alerts and error reports leave the node as operators expect: a Slack receiver and a
 * Sentry-compatible receiver on loopback stand in for the real services. The application runs as a
 * context of its own whose Redis connection passes through a proxy this test cuts and restores.
 */
@ExtendWith(Environment.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLACK = "/services/T000/B000/slack-test-hook";

    private Environment env;
    private TcpProxy redis;
    private WireMockServer receivers;

    @BeforeAll
    void deploy(Environment env) throws Exception {
        this.env = env;
        receivers = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        receivers.start();
        receivers.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
        redis = new TcpProxy("127.0.0.1", Environment.redisPort());
        Map<String, String> config = env.appConfig("alerts", Map.ofEntries(
                Map.entry("CACHE_TIMEOUT_MS", "250"), Map.entry("RATE_LIMIT_TIMEOUT_MS", "250"),
                Map.entry("REDIS_ADDRESSES", "redis://127.0.0.1:" + redis.port()),
                Map.entry("REDIS_TIMEOUT_MS", "500"),
                Map.entry("REDIS_KEY_PREFIX", env.redisPrefix + "-alerts"),
                Map.entry("HEALTH_CACHE_MS", "250"),
                Map.entry("ALERT_WATCH_SECONDS", "1"),
                Map.entry("ALERT_SETTLE_SECONDS", "8"),
                Map.entry("SLACK_WEBHOOK_URL", "http://127.0.0.1:" + receivers.port() + SLACK),
                Map.entry("SLACK_CHANNEL", "#reistech-ops"),
                Map.entry("SENTRY_DSN", "http://public0123456789@127.0.0.1:" + receivers.port() + "/42"),
                Map.entry("SENTRY_ENVIRONMENT", "it")));
        assertThat(env.tomcat.deploy("/alerts", env.war, config)).startsWith("OK");
    }

    @AfterAll
    void undeploy() throws Exception {
        try {
            assertThat(env.tomcat.manager("undeploy?path=/alerts")).startsWith("OK");
            assertThat(UndeployLeakIT.leakWarnings(env.tomcat.console(), "alerts")).isEmpty();
        } finally {
            redis.close();
            receivers.stop();
        }
    }

    @Test
    void aFlappingRedisGivesOneAlertAndOneRecoveryNotOnePerRequestOrFlap() throws Exception {
        for (int flap = 0; flap < 3; flap++) {
            redis.cut();
            await().atMost(Duration.ofSeconds(30)).until(() -> "degraded".equals(status()));
            for (int i = 0; i < 20; i++) {
                env.tomcat.get("/alerts/health");
            }
            redis.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> "healthy".equals(status()));
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> slack("health").size() == 2);
        List<String> messages = slack("health");
        assertThat(messages.get(0)).contains(":rotating_light:", "*health*", "degraded", "redis unhealthy");
        assertThat(messages.get(1)).contains(":white_check_mark:", "*health* recovered");
        assertThat(receivers.findAll(postRequestedFor(urlEqualTo(SLACK))).get(0).getBodyAsString())
                .contains("\"channel\":\"#reistech-ops\"");
        // Nothing more comes: the condition is settled.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> slack("health").size() == 2);
    }

    @Test
    void anErrorReachesSentryTaggedAndWithoutPersonalData() throws Exception {
        var response = env.tomcat.get("/alerts/api/diagnostics/failure");
        assertThat(response.statusCode()).isEqualTo(500);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> sentry().stream().anyMatch(body -> body.contains(requestId)));
        String event = sentry().stream().filter(body -> body.contains(requestId)).findFirst().orElseThrow();
        assertThat(event).contains("diagnostic failure", "IllegalStateException", "\"environment\":\"it\"",
                "\"release\":\"reistech@");
        assertThat(event).doesNotContain("98765-4321", "5511987654321", "123.456.789-09", "eyJhbGciOiJIUzI1NiJ9.",
                "127.0.0.1\"");
    }

    private String status() throws Exception {
        return JSON.readTree(env.tomcat.get("/alerts/health").body()).path("status").asText();
    }

    private List<String> slack(String fingerprint) {
        return receivers.findAll(postRequestedFor(urlEqualTo(SLACK))).stream().map(LoggedRequest::getBodyAsString)
                .map(body -> {
                    try {
                        return JSON.readTree(body).path("text").asText();
                    } catch (Exception unreadable) {
                        return body;
                    }
                })
                .filter(text -> text.contains("*" + fingerprint + "*")).toList();
    }

    private List<String> sentry() {
        return receivers.findAll(postRequestedFor(urlPathMatching("/api/42/.*"))).stream()
                .map(LoggedRequest::getBodyAsString).toList();
    }
}
