package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rate limits with the real policies, on two nodes (two deployments sharing PostgreSQL and a Redis
 * prefix of their own). Clients are told apart by the X-Forwarded-For that Tomcat accepts from the
 * trusted proxy 127.0.0.1; a client connecting from 127.0.0.2 is not a proxy.
 */
@ExtendWith(Environment.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

    private Environment env;
    private String platformToken;

    @BeforeAll
    void deploy(Environment env) throws Exception {
        this.env = env;
        Map<String, String> strict = Map.of("REDIS_KEY_PREFIX", env.redisPrefix + "-rl",
                "RATE_LIMIT_LOGIN", "5/900/3", "RATE_LIMIT_API", "100/60/5", "RATE_LIMIT_WHATSAPP_SEND", "30/60/0");
        assertThat(env.tomcat.deploy("/rl-a", env.war, env.appConfig("rl-a", strict))).startsWith("OK");
        assertThat(env.tomcat.deploy("/rl-b", env.war, env.appConfig("rl-b", strict))).startsWith("OK");
        platformToken = login("/rl-a", "10.9.9.9", "demo", Environment.ADMIN_EMAIL, env.adminPassword).body().path("accessToken").asText();
    }

    @AfterAll
    void undeploy() throws Exception {
        env.tomcat.manager("undeploy?path=/rl-a");
        env.tomcat.manager("undeploy?path=/rl-b");
    }

    @Test
    void theSixthLoginFromOneAddressIs429AndRepeatedViolationsBanItOnEveryNode() throws Exception {
        String ip = randomIp();
        for (int i = 0; i < 5; i++) {
            assertThat(login("/rl-a", ip, "demo", "ninguem" + i + "@x.example", "errada-123456").status()).isEqualTo(401);
        }
        Reply sixth = login("/rl-a", ip, "demo", "ninguem5@x.example", "errada-123456");
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.body().path("type").asText()).endsWith("/quota-exceeded");
        assertThat(sixth.body().path("violated-policies").toString()).contains("login");
        // A window of 900 s counts in tenths: the first tenth's counter leaves it at most 990 s on.
        assertThat(Long.parseLong(sixth.header("Retry-After"))).isBetween(1L, 990L);
        assertThat(sixth.header("RateLimit-Policy")).contains("\"login\";q=5;w=900").contains("\"api\";q=100;w=60");
        assertThat(sixth.header("RateLimit")).contains("\"login\";r=0;");
        // A refusal from the filter chain carries the security headers too.
        SecurityHeadersIT.assertSecurityHeaders(sixth.raw().headers());
        // Violations 2 and 3 (banAfter 3): the address is banned, on the other node too.
        login("/rl-a", ip, "demo", "ninguem6@x.example", "errada-123456");
        Reply banned = login("/rl-a", ip, "demo", "ninguem7@x.example", "errada-123456");
        assertThat(banned.status()).isEqualTo(429);
        assertThat(banned.body().path("type").asText()).endsWith("/banned");
        assertThat(Long.parseLong(banned.header("Retry-After"))).isBetween(800L, 900L);
        Reply elsewhere = get("/rl-b/api/openapi.json", ip);
        assertThat(elsewhere.status()).isEqualTo(429);
        assertThat(elsewhere.body().path("type").asText()).endsWith("/banned");
        assertThat(get("/rl-b/api/openapi.json", randomIp()).status()).isEqualTo(200);

        // Cleared over REST, the address starts afresh on both nodes.
        assertThat(call("POST", "/rl-a/api/admin/rate-limit/clear", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("ip", ip)).status()).isEqualTo(200);
        assertThat(get("/rl-b/api/openapi.json", ip).status()).isEqualTo(200);
        assertThat(login("/rl-b", ip, "demo", "ninguem8@x.example", "errada-123456").status()).isEqualTo(401);
    }

    @Test
    void sixtyFourConcurrentClientsOnTwoNodesGetExactlyTheHundredThePolicyAllows() throws Exception {
        String ip = randomIp();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                String node = i % 2 == 0 ? "/rl-a" : "/rl-b";
                calls.add(pool.submit(() -> {
                    start.await();
                    return get(node + "/api/auth/me", ip).status();
                }));
            }
            start.countDown();
            int admitted = 0;
            int limited = 0;
            for (Future<Integer> call : calls) {
                int status = call.get();
                if (status == 429) {
                    limited++;
                } else {
                    assertThat(status).isEqualTo(401);
                    admitted++;
                }
            }
            System.out.printf("256 requests from 64 clients over two nodes against 100/min: %d admitted, %d limited%n",
                    admitted, limited);
            assertThat(admitted).isEqualTo(100);
            assertThat(limited).isEqualTo(156);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBusyClientIsAdmittedOnLeasedTokensYetTheTwoNodesTogetherNeverExceedThePolicy() throws Exception {
        setApiPolicy("1600/60/0");
        try {
            String ip = randomIp();
            long leasedBefore = leased("rl-a") + leased("rl-b");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 2400; i++) {
                    String node = i % 2 == 0 ? "/rl-a" : "/rl-b";
                    calls.add(pool.submit(() -> get(node + "/api/auth/me", ip).status()));
                }
                int admitted = 0;
                for (Future<Integer> call : calls) {
                    int status = call.get();
                    assertThat(status).isIn(401, 429);
                    admitted += status == 401 ? 1 : 0;
                }
                long leased = leased("rl-a") + leased("rl-b") - leasedBefore;
                System.out.printf("2400 requests from one client over two nodes against 1600/min: %d admitted, %d on leases%n",
                        admitted, leased);
                assertThat(leased).isPositive();
                assertThat(admitted).isLessThanOrEqualTo(1600);
                // Tokens a node reserved and did not spend before its lease lapsed stay counted: at most
                // one lease per node, and a lease is at most a sixteenth of what is left.
                assertThat(admitted).isGreaterThanOrEqualTo(1600 - 2 * 1600 / 16);
            } finally {
                pool.shutdownNow();
            }
        } finally {
            setApiPolicy("100/60/5");
        }
    }

    /** The api policy, applied by both nodes (the other one reads it within its 2 s refresh). */
    private void setApiPolicy(String text) throws Exception {
        String[] parts = text.split("/");
        assertThat(call("PUT", "/rl-a/api/admin/rate-limit/policies/api", "10.9.9.9", platformToken, JSON.createObjectNode()
                .put("limit", Integer.parseInt(parts[0])).put("windowSeconds", Integer.parseInt(parts[1]))
                .put("banAfter", Integer.parseInt(parts[2]))).status()).isEqualTo(200);
        for (String node : List.of("rl-a", "rl-b")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/" + node + "/api/admin/rate-limit/policies",
                    "10.9.9.9", platformToken, null).body().path("api").asText().equals(text));
        }
    }

    private long leased(String node) throws Exception {
        return Long.parseLong(env.tomcat.jmx("br.com.reistech:type=RateLimiter,context=" + node, "LeasedDecisions").strip());
    }

    @Test
    void whenRedisForgetsItsScriptsTheNextDecisionsLoadThemAgainAndStayClusterWide() throws Exception {
        assertThat(redis("SCRIPT", "FLUSH")).isEqualTo("+OK");
        String ip = randomIp();
        // Three logins on each node: only counted in Redis do they add up to the sixth, refused.
        for (int i = 0; i < 5; i++) {
            assertThat(login(i % 2 == 0 ? "/rl-a" : "/rl-b", ip, "demo", "esquecido" + i + "@x.example", "errada-123456")
                    .status()).isEqualTo(401);
        }
        assertThat(login("/rl-b", ip, "demo", "esquecido5@x.example", "errada-123456").status()).isEqualTo(429);
    }

    /** One command to the environment's Redis; its first reply line. */
    private static String redis(String... command) throws Exception {
        StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
        for (String part : command) {
            request.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Environment.redisPort())) {
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    @Test
    void aTrailingSlashOrAPaddedBodyDoesNotDodgeTheLoginLimits() throws Exception {
        String ip = randomIp();
        for (int i = 0; i < 5; i++) {
            assertThat(call("POST", "/rl-a/api/auth/login/", ip, null, JSON.createObjectNode().put("workspace", "demo")
                    .put("email", "barra" + i + "@x.example").put("password", "errada-123456")).status()).isEqualTo(401);
        }
        assertThat(login("/rl-a", ip, "demo", "barra5@x.example", "errada-123456").status()).isEqualTo(429);

        String padded = "{\"workspace\":\"demo\",\"email\":\"alvo@x.example\",\"password\":\"x\"" + " ".repeat(9000) + "}";
        HttpResponse<String> refused = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/rl-a/api/auth/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", randomIp())
                .POST(HttpRequest.BodyPublishers.ofString(padded)).build());
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("/problems/payload-too-large");
    }

    @Test
    void inputRefusedAsAnAttackCountsTowardsABanButAClientMistakeDoesNot() throws Exception {
        String ip = randomIp();
        for (int i = 0; i < 6; i++) {
            Reply polluted = get("/rl-a/api/catalog/items?sort=name&sort=price", ip);
            assertThat(polluted.status()).isEqualTo(400);
        }
        assertThat(get("/rl-b/api/openapi.json", ip).status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            Reply injected = get("/rl-a/api/catalog/items?sort=1%27%20OR%20%271%27%3D%271", ip);
            assertThat(injected.body().path("type").asText()).endsWith("/suspicious-input");
        }
        Reply banned = get("/rl-b/api/openapi.json", ip);
        assertThat(banned.status()).isEqualTo(429);
        assertThat(banned.body().path("type").asText()).endsWith("/banned");
    }

    @Test
    void aForwardedForHeaderFromAnUntrustedPeerGivesNoFreshQuota() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(rawLoginFrom127002("198.18." + i + ".1", "spoof" + i + "@x.example"));
        }
        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.get(5)).isEqualTo(429);
    }

    @Test
    void anIpv4MappedAddressSharesItsIpv4QuotaAndAnIpv6Slash64IsOneClient() throws Exception {
        String v4 = randomIp();
        String[] v4Forms = {v4, "::ffff:" + v4};
        String prefix = "2001:db8:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff)) + ":7";
        String[] v6Forms = {prefix + "::1", prefix + ":ffff:ffff:ffff:ffff"};
        for (String[] forms : new String[][] {v4Forms, v6Forms}) {
            for (int i = 0; i < 5; i++) {
                assertThat(login("/rl-a", forms[i % 2], "demo", "par" + i + "@x.example", "errada-123456").status())
                        .isEqualTo(401);
            }
            assertThat(login("/rl-a", forms[1], "demo", "par5@x.example", "errada-123456").status()).isEqualTo(429);
        }
        // The next /64 is someone else.
        assertThat(login("/rl-a", "2001:db8:ffff:8::1", "demo", "par6@x.example", "errada-123456").status()).isEqualTo(401);
    }

    @Test
    void theDenyListRefusesFirstAndTheAllowListSkipsLimitsOnEveryNode() throws Exception {
        String denied = "198.51." + ThreadLocalRandom.current().nextInt(0, 255) + ".0/24";
        String deniedIp = denied.replace(".0/24", ".7");
        assertThat(call("POST", "/rl-a/api/admin/rate-limit/lists/deny", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("cidr", denied).put("reason", "teste")).status()).isEqualTo(200);
        Reply refused = get("/rl-a/api/openapi.json", deniedIp);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("type").asText()).endsWith("/ip-denied");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/rl-b/api/openapi.json", deniedIp).status() == 403);
        assertThat(call("DELETE", "/rl-a/api/admin/rate-limit/lists/deny?cidr=" + denied, "10.9.9.9", platformToken, null)
                .status()).isEqualTo(200);
        assertThat(get("/rl-a/api/openapi.json", deniedIp).status()).isEqualTo(200);

        String allowed = randomIp();
        assertThat(call("POST", "/rl-a/api/admin/rate-limit/lists/allow", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("cidr", allowed)).status()).isEqualTo(200);
        for (int i = 0; i < 7; i++) {
            Reply attempt = login("/rl-a", allowed, "demo", "livre" + i + "@x.example", "errada-123456");
            assertThat(attempt.status()).isEqualTo(401);
            assertThat(attempt.header("RateLimit")).isNull();
        }
        assertThat(call("POST", "/rl-a/api/admin/rate-limit/lists/allow", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("cidr", "not-a-network")).status()).isEqualTo(400);
    }

    @Test
    void bansAreListedAndTheJmxOperationClearsThem() throws Exception {
        String ip = randomIp();
        assertThat(call("POST", "/rl-a/api/admin/rate-limit/bans", "10.9.9.9", platformToken, JSON.createObjectNode()
                .put("ip", ip).put("minutes", 30).put("reason", "teste manual")).status()).isEqualTo(201);
        assertThat(get("/rl-b/api/openapi.json", ip).status()).isEqualTo(429);
        JsonNode bans = call("GET", "/rl-a/api/admin/rate-limit/bans", "10.9.9.9", platformToken, null).body();
        assertThat(bans.path("ip:" + ip).path("reason").asText()).contains("teste manual");
        assertThat(env.tomcat.jmxInvoke("br.com.reistech:type=RateLimiter,context=rl-b", "clear", ip)).startsWith("OK");
        assertThat(get("/rl-a/api/openapi.json", ip).status()).isEqualTo(200);
        assertThat(env.tomcat.jmx("br.com.reistech:type=RateLimiter,context=rl-a", "Mode")).isEqualTo("redis");
        try (var db = env.jdbc(); var query = db.prepareStatement(
                "select count(*) from audit_event where action in ('rate-limit.banned', 'rate-limit.cleared') and target = ?")) {
            query.setString(1, "ip:" + ip);
            try (var rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aWindowSlidesNeverAdmittingOneTooManyAndFreesItselfAfterTheWindow() throws Exception {
        String before = call("GET", "/rl-a/api/admin/rate-limit/policies", "10.9.9.9", platformToken, null).body()
                .path("whatsapp-send").asText();
        assertThat(call("PUT", "/rl-a/api/admin/rate-limit/policies/whatsapp-send", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("limit", 3).put("windowSeconds", 2)).status()).isEqualTo(200);
        try {
            String[] ip = new String[1];
            long[] firstAt = new long[1];
            // Anonymous sends are refused (401) by the access check, after the limiter counted them.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                ip[0] = randomIp();
                firstAt[0] = System.nanoTime();
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    statuses.add(call("POST", "/rl-a/api/whatsapp/send", ip[0], null, JSON.createObjectNode()).status());
                }
                return statuses.equals(List.of(401, 401, 401, 429));
            });
            Reply refused = call("POST", "/rl-a/api/whatsapp/send", ip[0], null, JSON.createObjectNode());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3L);
            // Polled every 100 ms: a fourth request admitted within 2 s of the first would break the policy.
            await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() ->
                    call("POST", "/rl-a/api/whatsapp/send", ip[0], null, JSON.createObjectNode()).status() == 401);
            assertThat(Duration.ofNanos(System.nanoTime() - firstAt[0])).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        } finally {
            String[] parts = before.split("/");
            call("PUT", "/rl-a/api/admin/rate-limit/policies/whatsapp-send", "10.9.9.9", platformToken,
                    JSON.createObjectNode().put("limit", Integer.parseInt(parts[0])).put("windowSeconds", Integer.parseInt(parts[1]))
                            .put("banAfter", Integer.parseInt(parts[2])));
        }
    }

    @Test
    void policiesChangeAtRunTimeWithTheSameValidationAsTheConfiguration() throws Exception {
        Reply invalid = call("PUT", "/rl-a/api/admin/rate-limit/policies/whatsapp-send", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("limit", 0).put("windowSeconds", 60));
        assertThat(invalid.status()).isEqualTo(400);
        Reply unknown = call("PUT", "/rl-a/api/admin/rate-limit/policies/other", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("limit", 10).put("windowSeconds", 60));
        assertThat(unknown.status()).isEqualTo(400);
        Reply changed = call("PUT", "/rl-a/api/admin/rate-limit/policies/whatsapp-send", "10.9.9.9", platformToken,
                JSON.createObjectNode().put("limit", 20).put("windowSeconds", 60));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("whatsapp-send").asText()).isEqualTo("20/60/0");
        await().atMost(Duration.ofSeconds(10)).until(() -> "20/60/0".equals(
                call("GET", "/rl-b/api/admin/rate-limit/policies", "10.9.9.9", platformToken, null).body().path("whatsapp-send").asText()));
    }

    // ---- helpers ----

    private record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private Reply login(String node, String ip, String workspace, String email, String password) throws Exception {
        return call("POST", node + "/api/auth/login", ip, null, JSON.createObjectNode().put("workspace", workspace)
                .put("email", email).put("password", password));
    }

    private Reply get(String path, String ip) throws Exception {
        return call("GET", path, ip, null, null);
    }

    private Reply call(String method, String path, String ip, String token, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(env.tomcat.uri(path)).timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", ip);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response = env.tomcat.send(request.build());
        JsonNode parsed = response.body().isEmpty() || !response.body().startsWith("{") ? JSON.missingNode()
                : JSON.readTree(response.body());
        return new Reply(response.statusCode(), parsed, response);
    }

    /** A login sent from 127.0.0.2 (not a trusted proxy) claiming to forward for {@code forwardedFor}. */
    private int rawLoginFrom127002(String forwardedFor, String email) throws Exception {
        byte[] body = JSON.createObjectNode().put("workspace", "demo").put("email", email).put("password", "errada-123456")
                .toString().getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", env.tomcat.uri("/").getPort()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /rl-a/api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String statusLine = answer.toString(StandardCharsets.US_ASCII).split("\r\n", 2)[0];
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static String randomIp() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "100." + random.nextInt(64, 128) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
    }
}
