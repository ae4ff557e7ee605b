package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The installation as an operator builds it, end to end: Nginx (the site of nginx/, a self-signed
 * certificate) in front of two Tomcat nodes (tomcat-conf/), the WAR deployed by
 * scripts/deploy-production.sh, backed up and restored by scripts/backup.sh and restore.sh, checked
 * by scripts/preflight.sh. The nodes use a database of their own, so dropping it touches no other test.
 * The steps build on each other and run in order.
 */
@ExtendWith(Environment.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROJECT = Path.of(System.getProperty("it.projectDir"));
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private Environment env;
    private Path dir;
    private String database;
    private final List<TomcatServer> nodes = new ArrayList<>();
    private Process nginx;
    private Path nginxConf;
    private int httpPort;
    private int httpsPort;
    private HttpClient https;
    private final Map<Integer, Map<String, String>> deployEnv = new HashMap<>();

    @BeforeAll
    void install(Environment env) throws Exception {
        this.env = env;
        dir = Files.createDirectories(env.workDir.resolve("ops"));
        database = env.database + "_ops";
        env.admin("create database " + database);
        Files.createDirectories(dir.resolve("uploads"));

        List<CompletableFuture<TomcatServer>> starting = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            Map<String, String> config = nodeConfig(n);
            int node = n;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return TomcatServer.start(Path.of(System.getProperty("it.tomcat10.home")), dir.resolve("node" + node),
                            env.war, config);
                } catch (IOException failed) {
                    throw new java.io.UncheckedIOException(failed);
                }
            }));
        }
        for (CompletableFuture<TomcatServer> node : starting) {
            nodes.add(node.get(5, TimeUnit.MINUTES));
        }

        run(Map.of(), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        https = HttpClient.newBuilder().sslContext(trusting(dir.resolve("cert.pem")))
                .connectTimeout(Duration.ofSeconds(5)).build();
        startNginx();

        for (int n = 1; n <= 2; n++) {
            TomcatServer node = nodes.get(n - 1);
            Path password = dir.resolve("manager-" + n);
            Files.writeString(password, node.managerPassword());
            Path template = dir.resolve("context-" + n + ".xml");
            Files.writeString(template, TomcatServer.descriptor(Path.of("@WAR@"), nodeConfig(n)));
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("DEPLOY_ENV", dir.resolve("no-deploy.env").toString());
            settings.put("TOMCAT_URL", "http://127.0.0.1:" + node.port());
            settings.put("MANAGER_USER", "it");
            settings.put("MANAGER_PASSWORD_FILE", password.toString());
            settings.put("CONTEXT_TEMPLATE", template.toString());
            settings.put("RELEASES_DIR", dir.resolve("releases-" + n).toString());
            settings.put("READY_TIMEOUT", "180");
            settings.put("DRAIN_SECONDS", "3");
            settings.put("NGINX_CMD", nginxCommand());
            settings.put("NGINX_SITE_TARGET", dir.resolve("sites/reistech.conf").toString());
            deployEnv.put(n, settings);
        }
        Files.writeString(dir.resolve("site.vars"), String.join("\n",
                "SERVER_NAME=localhost", "HTTP_PORT=" + httpPort, "HTTPS_PORT=" + httpsPort,
                "UPSTREAMS=server 127.0.0.1:" + nodes.get(0).port() + " max_fails=3 fail_timeout=10s;\\n"
                        + "server 127.0.0.1:" + nodes.get(1).port() + " max_fails=3 fail_timeout=10s;",
                "CERT=" + dir.resolve("cert.pem"), "KEY=" + dir.resolve("key.pem"),
                "ACME_ROOT=" + Files.createDirectories(dir.resolve("acme")), "MAX_BODY=17m",
                "INTERNAL=allow 127.0.0.0/8;", "LOG_DIR=" + Files.createDirectories(dir.resolve("nginx-logs")), ""));
    }

    @AfterAll
    void uninstall() throws Exception {
        try {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(20, TimeUnit.SECONDS);
            }
            nodes.forEach(TomcatServer::close);
        } finally {
            env.admin("drop database if exists " + database + " with (force)");
        }
    }

    @Test
    @Order(1)
    void aFirstDeployInstallsTheSiteAndNginxServesHttpsOnlyWithHsts() throws Exception {
        Map<String, String> first = new LinkedHashMap<>(deployEnv.get(1));
        first.put("NGINX_SITE_VARS", dir.resolve("site.vars").toString());
        Result deployed = script(first, "scripts/deploy-production.sh", "--war", env.war.toString());
        assertThat(deployed.exit()).as(deployed.output()).isZero();
        assertThat(deployed.output()).contains("is ready", "installed " + dir.resolve("sites/reistech.conf"));
        Result second = script(deployEnv.get(2), "scripts/deploy-production.sh", "--war", env.war.toString());
        assertThat(second.exit()).as(second.output()).isZero();
        for (TomcatServer node : nodes) {
            assertThat(rootVersions(node)).hasSize(1).allMatch(name -> name.startsWith("running ROOT##"));
        }
        Result again = script(deployEnv.get(1), "scripts/deploy-production.sh", "--war", env.war.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.output()).contains("nothing to deploy");

        // A site Nginx refuses is not installed: the working one stays, Nginx is not reloaded.
        Path installed = dir.resolve("sites/reistech.conf");
        String working = Files.readString(installed);
        Path badVars = dir.resolve("bad-site.vars");
        Files.writeString(badVars, Files.readString(dir.resolve("site.vars")).replace("MAX_BODY=17m", "MAX_BODY=seventeen"));
        Map<String, String> bad = new LinkedHashMap<>(deployEnv.get(1));
        bad.put("NGINX_SITE_VARS", badVars.toString());
        Result refused = script(bad, "scripts/deploy-production.sh", "--war", env.war.toString());
        assertThat(refused.exit()).as(refused.output()).isEqualTo(3);
        assertThat(refused.output()).contains("nginx -t refused the new site");
        assertThat(installed).hasContent(working);

        HttpResponse<String> alive = https.send(get("/alive").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(alive.statusCode()).isEqualTo(200);
        assertThat(alive.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(alive.headers().allValues("Strict-Transport-Security")).containsExactly("max-age=31536000; includeSubDomains");
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + "/api/auth/me")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(301);
        assertThat(plain.headers().firstValue("Location").orElseThrow()).isEqualTo("https://localhost/api/auth/me");
    }

    @Test
    @Order(2)
    void theApplicationSeesTheRealClientAddressAndASpoofedOneIsIgnored() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "ops-ip-" + i + "-" + UUID.randomUUID();
            ids.add(id);
            HttpResponse<String> response = https.send(get("/api/no-such-route").header("X-Forwarded-For", "198.51.100.7")
                    .header("X-Request-Id", id).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("X-Request-Id")).contains(id);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> ids.stream().allMatch(id -> httpLogs().contains("[req=" + id + "]")));
        for (String line : httpLogs().split("\n")) {
            if (ids.stream().anyMatch(id -> line.contains("[req=" + id + "]"))) {
                assertThat(line).contains("ip=127.0.0.1").doesNotContain("198.51.100.7");
            }
        }
        HttpResponse<String> anonymous = https.send(get("/alive").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}");

        // From another loopback address than Nginx's own: the application must see that one.
        String other = "ops-ip-other-" + UUID.randomUUID();
        Result curl = run(Map.of(), "curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "--interface", "127.0.0.2",
                "-H", "X-Forwarded-For: 198.51.100.7", "-H", "X-Request-Id: " + other,
                "https://localhost:" + httpsPort + "/api/no-such-route");
        assertThat(curl.output()).isEqualTo("404");
        await().atMost(Duration.ofSeconds(15)).until(() -> httpLogs().contains("[req=" + other + "]"));
        assertThat(httpLogs().lines().filter(line -> line.contains("[req=" + other + "]")))
                .singleElement().asString().contains("ip=127.0.0.2").doesNotContain("198.51.100.7");
    }

    @Test
    @Order(3)
    void aWebSocketWorksThroughNginx() throws Exception {
        String token = login();
        String handshake = "ops-ws-" + UUID.randomUUID();
        try (EventClient console = EventClient.connect(https, "wss://localhost:" + httpsPort + "/ws/agents", token, handshake)) {
            HttpResponse<String> logout = https.send(request("/api/auth/logout").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(logout.statusCode()).isEqualTo(204);
            // The server ends the revoked session's socket: a frame that crossed Nginx to the client.
            await().atMost(Duration.ofSeconds(15)).until(() -> console.closeCode == 1008);
        }
        // The upgrade went through the /ws/ location with the forwarding headers of every other one.
        await().atMost(Duration.ofSeconds(15)).until(() -> httpLogs().contains("[req=" + handshake + "]"));
        assertThat(httpLogs().lines().filter(line -> line.contains("[req=" + handshake + "]")))
                .singleElement().asString().contains("path=/ws/agents", "status=101", "ip=127.0.0.1");
    }

    @Test
    @Order(4)
    void aRollingDeployUnderLoadFailsNoRequest() throws Exception {
        Path next = release("next", Map.of("RELEASE.txt", "the next release\n"));
        String token = login();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        HttpRequest echo = request("/api/diagnostics/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"nome\":\"Maria\",\"email\":\"maria@example.com\",\"quantidade\":2}"))
                .build();
        for (int c = 0; c < 3; c++) {
            clients.add(CompletableFuture.runAsync(() -> {
                long stopAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
                while (loading.get() && System.nanoTime() < stopAt) {
                    // A POST too: Nginx never replays one on the other node, so a request a node
                    // dropped during its deploy would show here.
                    for (HttpRequest request : List.of(get("/alive").build(),
                            get("/api/auth/me").header("Authorization", "Bearer " + token).build(), echo)) {
                        try {
                            int status = https.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status != 200) {
                                failures.add(request.uri().getPath() + " " + status);
                            }
                        } catch (Exception failed) {
                            failures.add(request.uri().getPath() + " " + failed);
                        }
                        sent.incrementAndGet();
                    }
                    pace();
                }
            }));
        }
        try {
            for (int n = 1; n <= 2; n++) {
                Result deployed = script(deployEnv.get(n), "scripts/deploy-production.sh", "--war", next.toString());
                assertThat(deployed.exit()).as(deployed.output()).isZero();
            }
        } finally {
            loading.set(false);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        }
        System.out.printf("Rolling deploy of two nodes under load: %d requests through Nginx (GET /alive, GET /api/auth/me, POST echo), %d failed%n",
                sent.get(), failures.size());
        assertThat(sent.get()).isGreaterThan(300);
        assertThat(failures).isEmpty();
        for (TomcatServer node : nodes) {
            assertThat(rootVersions(node)).hasSize(1);
        }
    }

    @Test
    @Order(5)
    void aReleaseThatNeverTurnsReadyIsRolledBackAndTheOldOneKeepsServing() throws Exception {
        List<String> before = rootVersions(nodes.get(0));
        Path broken = release("broken", Map.of("WEB-INF/classes/db/migration/V999__broken_release.sql",
                "create table broken_release (id int primary key;\n"));
        Result deployed = script(deployEnv.get(1), "scripts/deploy-production.sh", "--war", broken.toString());
        assertThat(deployed.exit()).as(deployed.output()).isEqualTo(2);
        assertThat(deployed.output()).contains("never turned ready: rolling back", "Rolled back");
        assertThat(rootVersions(nodes.get(0))).isEqualTo(before);
        assertThat(https.send(get("/ready").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        try (Connection db = connect(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("select count(*) from flyway_schema_history where version = '999'")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }

        Result plan = script(deployEnv.get(1), "scripts/deploy-production.sh", "--rollback", "--dry-run");
        assertThat(plan.exit()).as(plan.output()).isZero();
        assertThat(plan.output()).contains("Rolling back to release", "(dry run)");
        assertThat(rootVersions(nodes.get(0))).isEqualTo(before);
        Result rollback = script(deployEnv.get(1), "scripts/deploy-production.sh", "--rollback");
        assertThat(rollback.exit()).as(rollback.output()).isZero();
        assertThat(rootVersions(nodes.get(0))).hasSize(1).doesNotContainAnyElementsOf(before);
        Path releases = Path.of(deployEnv.get(1).get("RELEASES_DIR"));
        String current = Files.readString(releases.resolve("current")).strip();
        assertThat(Files.mismatch(releases.resolve(current + ".war"), env.war)).as("the first release's WAR runs again").isEqualTo(-1);
    }

    @Test
    @Order(6)
    void aFailedBackupExitsNonZeroAndAlertsSlack() throws Exception {
        var slack = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        slack.start();
        try {
            slack.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/hook")
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.ok()));
            Map<String, String> settings = backupSettings(dir.resolve("no.key"));
            settings.remove("BACKUP_KEY_FILE");
            settings.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + Environment.pgPort() + "/no_such_database");
            settings.put("BACKUP_DIR", dir.resolve("failed-backups").toString());
            settings.put("SLACK_WEBHOOK_URL", "http://127.0.0.1:" + slack.port() + "/hook");
            Result failed = script(settings, "scripts/backup.sh");
            assertThat(failed.exit()).as(failed.output()).isNotZero();
            assertThat(slack.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                    com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/hook"))))
                    .singleElement().extracting(request -> request.getBodyAsString()).asString().contains("*backup* failed");
            try (var left = Files.list(dir.resolve("failed-backups"))) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith("reistech-"))).as("no complete-looking backup").isEmpty();
            }
        } finally {
            slack.stop();
        }
    }

    @Test
    @Order(7)
    void backupThenDropTheDatabaseThenRestoreGivesIdenticalRowsAndTheDrillPasses() throws Exception {
        Files.writeString(dir.resolve("uploads/ab12.bin"), "uploaded file");
        try (Connection db = connect(); Statement insert = db.createStatement()) {
            // A store's worth of data, so the checksums compare more than seed rows.
            insert.execute("insert into catalog_item (id, workspace_id, sku, name, description, price, stock) "
                    + "select gen_random_uuid(), w.id, 'SKU-' || g, 'Celular ' || g, 'Descrição do aparelho ' || g, "
                    + "g * 1.5, g % 50 from workspace w, generate_series(1, 5000) g where w.slug = 'demo'");
            insert.execute("insert into customer (id, workspace_id, wa_id, name) select gen_random_uuid(), w.id, "
                    + "'55119' || lpad(g::text, 8, '0'), 'Cliente ' || g from workspace w, generate_series(1, 5000) g "
                    + "where w.slug = 'demo'");
        }
        Path key = dir.resolve("backup.key");
        Files.writeString(key, UUID.randomUUID().toString());
        Map<String, String> settings = backupSettings(key);
        Result backup = script(settings, "scripts/backup.sh");
        assertThat(backup.exit()).as(backup.output()).isZero();
        Path made;
        try (var backups = Files.list(dir.resolve("backups"))) {
            made = backups.filter(p -> p.getFileName().toString().startsWith("reistech-")).findFirst().orElseThrow();
        }
        assertThat(made.resolve("config.tar.gz.enc")).exists();
        assertThat(Files.readString(made.resolve("MANIFEST.sha256"))).contains("database.dump", "tables.tsv", "uploads.tar.gz");

        List<String> releases = new ArrayList<>();
        for (TomcatServer node : nodes) {
            String name = rootVersions(node).get(0);
            String release = name.contains("##") ? "&version=" + name.substring(name.indexOf("##") + 2) : "";
            releases.add(release);
            assertThat(node.manager("stop?path=/" + release)).startsWith("OK");
        }
        try {
            env.admin("drop database " + database + " with (force)");
            Files.delete(dir.resolve("uploads/ab12.bin"));
            Result restore = script(settings, "scripts/restore.sh", "latest", "--yes", "--only", "database,uploads");
            assertThat(restore.exit()).as(restore.output()).isZero();
            assertThat(restore.output()).contains("row counts and checksums identical to the backup");
            assertThat(fingerprint()).isEqualTo(new TreeSet<>(Files.readAllLines(made.resolve("tables.tsv"))));
            assertThat(dir.resolve("uploads/ab12.bin")).hasContent("uploaded file");

            Map<String, String> intoScratch = new LinkedHashMap<>(settings);
            intoScratch.put("CONFIG_ROOT", dir.resolve("restored-config").toString());
            Result config = script(intoScratch, "scripts/restore.sh", "latest", "--yes", "--only", "config");
            assertThat(config.exit()).as(config.output()).isZero();
            Path template = Path.of(deployEnv.get(1).get("CONTEXT_TEMPLATE"));
            assertThat(dir.resolve("restored-config").resolve(template.toString().substring(1)))
                    .as("the encrypted configuration, decrypted").hasSameTextualContentAs(template);

            Result drill = script(settings, "scripts/restore.sh", made.toString(), "--verify");
            assertThat(drill.exit()).as(drill.output()).isZero();
            assertThat(drill.output()).contains("Restore drill passed");
        } finally {
            for (int n = 0; n < nodes.size(); n++) {
                nodes.get(n).manager("start?path=/" + releases.get(n));
            }
        }
        await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(IOException.class).until(() -> https.send(get("/ready").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        System.out.printf("Backup, drop, restore: %d tables, %d rows identical%n", fingerprint().size(),
                fingerprint().stream().mapToLong(line -> Long.parseLong(line.split("\t")[1])).sum());
    }

    @Test
    @Order(8)
    void preflightPassesHereAndNamesTheCheckWhenHstsOrRateLimitingIsOff() throws Exception {
        Path envFile = dir.resolve("reistech.env");
        Files.writeString(envFile, "JWT_SECRET=" + env.jwtSecret + "\nJWT_REFRESH_SECRET=" + env.jwtRefreshSecret + "\nLOG_LEVEL=INFO\n");
        Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-------"));
        Path cron = dir.resolve("cron");
        Files.writeString(cron, "0 2 * * * reistech /opt/reistech/scripts/backup.sh >>/var/log/reistech/backup.log 2>&1\n");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("REISTECH_ENV_FILE", envFile.toString());
        settings.put("CONTEXT_TEMPLATE", deployEnv.get(1).get("CONTEXT_TEMPLATE"));
        settings.put("CATALINA_BASE", nodes.get(0).base().toString());
        settings.put("BACKUP_DIR", dir.resolve("backups").toString());
        settings.put("LOG_DIR", dir.resolve("logs-node1").toString());
        settings.put("CRON_FILES", cron.toString());
        settings.put("REPO", PROJECT.toString());
        String site = "https://localhost:" + httpsPort;
        String[] preflight = {"scripts/preflight.sh", site, "--insecure", "--http-url", "http://localhost:" + httpPort};

        Result passing = script(settings, preflight);
        System.out.println(passing.output());
        assertThat(passing.exit()).as(passing.output()).isZero();
        assertThat(passing.output()).doesNotContain("FAIL ").contains("PASS  hsts", "PASS  rate-limiting", "PASS  backup-recent",
                "PASS  jmx", "PASS  tomcat-autodeploy");

        Path siteFile = dir.resolve("sites/reistech.conf");
        String original = Files.readString(siteFile);
        Files.writeString(siteFile, original.replaceAll("(?m)^.*add_header Strict-Transport-Security.*$", ""));
        try {
            run(Map.of(), (nginxCommand() + " -s reload").split(" "));
            // A reload ends the old workers' HTTP/2 connections with GOAWAY, which this client does not retry.
            await().atMost(Duration.ofSeconds(15)).ignoreExceptionsInstanceOf(IOException.class).until(() -> https.send(get("/alive").build(),
                    HttpResponse.BodyHandlers.discarding()).headers().firstValue("Strict-Transport-Security").isEmpty());
            Result withoutHsts = script(settings, preflight);
            assertThat(withoutHsts.exit()).isEqualTo(1);
            assertThat(withoutHsts.output()).contains("FAIL  hsts").contains("PASS  rate-limiting");
        } finally {
            Files.writeString(siteFile, original);
            run(Map.of(), (nginxCommand() + " -s reload").split(" "));
        }

        // The same WAR deployed under /norl on both nodes, with rate limiting switched off.
        Map<String, String> unlimited = new LinkedHashMap<>(nodeConfig(1));
        unlimited.put("RATE_LIMIT_ENABLED", "false");
        unlimited.put("LOG_DIR", dir.resolve("logs-norl").toString());
        List<CompletableFuture<String>> deploying = new ArrayList<>();
        for (TomcatServer node : nodes) {
            deploying.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return node.deploy("/norl", env.war, unlimited);
                } catch (Exception failed) {
                    throw new IllegalStateException(failed);
                }
            }));
        }
        for (CompletableFuture<String> answer : deploying) {
            assertThat(answer.get(5, TimeUnit.MINUTES)).startsWith("OK");
        }
        try {
            Result withoutLimits = script(settings, "scripts/preflight.sh", site + "/norl", "--insecure",
                    "--http-url", "http://localhost:" + httpPort);
            assertThat(withoutLimits.exit()).isEqualTo(1);
            assertThat(withoutLimits.output()).contains("FAIL  rate-limiting").contains("PASS  hsts");
        } finally {
            for (TomcatServer node : nodes) {
                node.manager("undeploy?path=/norl");
            }
        }
    }

    /**
     * Keeps each load client near 4 rounds (12 requests) a second: three clients stay under Nginx's
     * flood guard (50 requests a second per address), which would otherwise answer 429.
     */
    private static void pace() {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
    }

    // ---- the installation ----

    private Map<String, String> nodeConfig(int n) {
        Map<String, String> config = new LinkedHashMap<>(env.appConfig("ops-" + n, Map.of(
                "DB_URL", "jdbc:postgresql://127.0.0.1:" + Environment.pgPort() + "/" + database,
                "REDIS_KEY_PREFIX", env.redisPrefix + "-ops",
                "UPLOAD_DIR", dir.resolve("uploads").toString(),
                "LOG_DIR", dir.resolve("logs-node" + n).toString())));
        return config;
    }

    private void startNginx() throws Exception {
        httpPort = TomcatServer.freePort();
        httpsPort = TomcatServer.freePort();
        Files.createDirectories(dir.resolve("sites"));
        Files.createDirectories(dir.resolve("tmp"));
        nginxConf = dir.resolve("nginx.conf");
        Files.writeString(nginxConf, Files.readString(PROJECT.resolve("nginx/standalone.conf"))
                .replace("{{DIR}}", dir.toString())
                .replace("{{USER}}", "root".equals(System.getProperty("user.name")) ? "user root;" : "")
                .replace("{{WORKER_CONNECTIONS}}", "1024"));
        ProcessBuilder builder = new ProcessBuilder(System.getProperty("it.nginx"), "-c", nginxConf.toString(),
                "-g", "daemon off;");
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("nginx-console.log").toFile());
        nginx = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(nginx::destroyForcibly));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("nginx.pid")) || !nginx.isAlive());
        assertThat(nginx.isAlive()).as("nginx started; see " + dir.resolve("nginx-console.log")).isTrue();
    }

    private String nginxCommand() {
        return System.getProperty("it.nginx") + " -c " + nginxConf;
    }

    /** The WAR under test with {@code extra} files added: a different release (or a broken one). */
    private Path release(String name, Map<String, String> extra) throws IOException {
        Path war = dir.resolve("reistech-" + name + ".war");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(env.war));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> file : extra.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return war;
    }

    private Map<String, String> backupSettings(Path key) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("REISTECH_ENV_FILE", dir.resolve("no.env").toString());
        settings.put("BACKUP_ENV", dir.resolve("no-backup.env").toString());
        settings.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + Environment.pgPort() + "/" + database);
        settings.put("DB_USER", env.dbUser);
        settings.put("DB_PASSWORD", env.dbPassword);
        settings.put("BACKUP_DIR", dir.resolve("backups").toString());
        settings.put("UPLOAD_DIR", dir.resolve("uploads").toString());
        settings.put("LOG_DIR", dir.resolve("logs-node1").toString());
        settings.put("CONFIG_PATHS", deployEnv.get(1).get("CONTEXT_TEMPLATE") + " " + dir.resolve("sites/reistech.conf"));
        settings.put("BACKUP_KEY_FILE", key.toString());
        return settings;
    }

    /** Each table's name, row count and checksum, as scripts/lib/backup-common.sh computes them. */
    private TreeSet<String> fingerprint() throws Exception {
        TreeSet<String> lines = new TreeSet<>();
        try (Connection db = connect(); Statement statement = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("select count(*), coalesce(md5(string_agg(md5(t::text), '' "
                        + "order by md5(t::text))), '-') from public.\"" + table + "\" t")) {
                    rows.next();
                    lines.add(table + "\t" + rows.getLong(1) + "\t" + rows.getString(2));
                }
            }
        }
        return lines;
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Environment.pgPort() + "/" + database,
                env.dbUser, env.dbPassword);
    }

    /** The ROOT context's versions on {@code node}, as "state ROOT##release". */
    private static List<String> rootVersions(TomcatServer node) throws Exception {
        List<String> versions = new ArrayList<>();
        for (String line : node.manager("list").split("\n")) {
            String[] fields = line.strip().split(":");
            if (fields.length == 4 && fields[0].equals("/")) {
                versions.add(fields[1] + " " + fields[3]);
            }
        }
        return versions;
    }

    private String httpLogs() {
        StringBuilder text = new StringBuilder();
        for (int n = 1; n <= 2; n++) {
            try (var files = Files.list(dir.resolve("logs-node" + n))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("http-")).toList()) {
                    text.append(Files.readString(file));
                }
            } catch (IOException notYet) {
                // the node has not written its first http line yet
            }
        }
        return text.toString();
    }

    private String login() throws Exception {
        HttpResponse<String> response = https.send(request("/api/auth/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("workspace", "demo")
                        .put("email", Environment.ADMIN_EMAIL).put("password", env.adminPassword).toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("accessToken").asText();
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path)).timeout(Duration.ofSeconds(30));
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream pem = Files.newInputStream(certificate)) {
            store.setCertificateEntry("it", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    // ---- running the scripts ----

    private record Result(int exit, String output) {
    }

    private Result script(Map<String, String> settings, String... command) throws Exception {
        String[] full = command.clone();
        full[0] = PROJECT.resolve(command[0]).toString();
        return run(settings, full);
    }

    private Result run(Map<String, String> settings, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(settings);
        Path output = Files.createTempFile(dir, "script", ".log");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + SCRIPT_TIMEOUT
                    + ":\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }
}
