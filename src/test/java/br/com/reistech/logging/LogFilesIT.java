package br.com.reistech.logging;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerConfig;
import org.apache.logging.log4j.core.async.AsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.AsyncQueueFullPolicyFactory;
import org.apache.logging.log4j.core.async.DiscardingAsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.EventRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production log4j2.xml, loaded into isolated logger contexts writing to a temporary folder: which
 * lines reach which files, masking in text and JSON, and (in a time-compressed copy where a day lasts
 * a second) rollover, gzip and deletion by age and by size cap. No Tomcat.
 */
class LogFilesIT {

    private static final Path PRODUCTION = Path.of("src/main/resources/log4j2.xml");
    private static final List<String> FAMILIES = List.of("combined", "error", "warn", "http", "audit");
    private static final String JWT =
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.U2lnbmF0dXJlT2ZUaGVUb2tlbg";

    @TempDir
    Path work;
    private Path logs;
    private final List<LoggerContext> contexts = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        logs = Files.createDirectories(work.resolve("logs"));
    }

    @AfterEach
    void stop() {
        contexts.forEach(context -> context.stop(5, SECONDS));
        ThreadContext.clearMap();
    }

    @Test
    void httpLinesAreDroppedRatherThanBlockingWhenTheRingIsFull() {
        // log4j2.component.properties: a full ring drops INFO lines (the http family) instead of waiting.
        AsyncQueueFullPolicy policy = AsyncQueueFullPolicyFactory.create();
        assertThat(policy).isInstanceOf(DiscardingAsyncQueueFullPolicy.class);
        assertThat(policy.getRoute(0, Level.INFO)).isEqualTo(EventRoute.DISCARD);
        assertThat(policy.getRoute(0, Level.WARN)).isNotEqualTo(EventRoute.DISCARD);
    }

    @Test
    void theHttpWriterThreadHasEndedWhenTheContextStops() {
        long before = httpWriters();
        LoggerContext context = start(production(), Map.of());
        context.getLogger("http").info("GET /api/health 200 durationMs=1");
        assertThat(httpWriters()).isEqualTo(before + 1);
        context.stop(5, SECONDS);
        // No waiting here: an undeploy checks for leftover threads right after log4j stops.
        assertThat(httpWriters()).isEqualTo(before);
        assertThat(currentFile("http")).contains("GET /api/health 200");
    }

    private static long httpWriters() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().contains("AsyncLoggerConfig")).count();
    }

    @Test
    void routesEachFamilyToItsOwnFiles() {
        LoggerContext context = start(production(), Map.of());
        Logger app = context.getLogger("br.com.reistech.routing");
        app.debug("app debug line");
        app.info("app info line");
        app.warn("app warn line");
        app.error("app error line", new IllegalStateException("boom"));
        context.getLogger("http").info("GET /api/health 200 durationMs=3");
        context.getLogger("audit").info("audit line");
        context.stop(5, SECONDS);

        assertThat(currentFile("combined")).contains("app info line", "app warn line", "app error line", "audit line")
                .doesNotContain("GET /api/health", "app debug line");
        assertThat(currentFile("http")).contains("GET /api/health 200")
                .doesNotContain("app info line", "audit line");
        assertThat(currentFile("audit")).contains("audit line").doesNotContain("app ");
        assertThat(currentFile("warn")).contains("app warn line", "app error line").doesNotContain("app info line");
        assertThat(currentFile("error")).contains("app error line", "IllegalStateException: boom", "\tat ")
                .doesNotContain("app warn line", "app info line");
    }

    @Test
    void namesTheThreadWhenNoRequestIdIsKnownADashForOtherEmptyValuesAndTheUserWhenKnown() {
        LoggerContext context = start(production(), Map.of());
        Logger app = context.getLogger("br.com.reistech.context");
        app.info("without context");
        ThreadContext.put("requestId", "req-7");
        ThreadContext.put("workspace", "ws-1");
        ThreadContext.put("user", "user-2");
        app.info("with context");
        context.stop(5, SECONDS);

        assertThat(currentFile("combined"))
                .containsPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO  \\[req=thread:main] \\[ws=-] \\[user=-] "
                        + "b\\.c\\.r\\.context - without context")
                .contains("[req=req-7] [ws=ws-1] [user=user-2] b.c.r.context - with context");
    }

    @Test
    void writesDebugLinesOnlyWhenLogLevelIsDebug() {
        LoggerContext context = start(production(), Map.of("LOG_LEVEL", "DEBUG"));
        context.getLogger("br.com.reistech.debugging").debug("debug detail");
        context.getLogger("org.hibernate.SQL").debug("third-party debug");
        context.stop(5, SECONDS);

        assertThat(currentFile("combined")).contains("debug detail").doesNotContain("third-party debug");
    }

    @Test
    void changesAndResetsLevelsAtRunTime() {
        LoggerContext context = start(production(), Map.of());
        LogLevels levels = new LogLevels(context);
        Logger app = context.getLogger("br.com.reistech.jmx");

        levels.setLevel("br.com.reistech.jmx", "debug");
        app.debug("debug while raised");
        levels.resetLevels();
        app.debug("debug after reset");

        assertThat(levels.getLevels()).containsEntry("br.com.reistech", "INFO").containsEntry("http", "INFO")
                .containsEntry("Encoder", "OFF").containsEntry("root", "INFO")
                .doesNotContainKey("br.com.reistech.jmx");
        assertThat(levels.level("br.com.reistech.jmx")).isEqualTo("INFO");
        context.stop(5, SECONDS);
        assertThat(currentFile("combined")).contains("debug while raised").doesNotContain("debug after reset");
    }

    @Test
    void refusesAnUnknownLevelName() {
        LogLevels levels = new LogLevels(start(production(), Map.of()));

        assertThatThrownBy(() -> levels.setLevel("br.com.reistech", "LOUD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'LOUD'").hasMessageContaining("DEBUG");
        assertThat(levels.level("br.com.reistech")).isEqualTo("INFO");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void masksPersonalDataAndSecretsInEveryFile(String format) {
        LoggerContext context = start(production(), Map.of("LOG_FORMAT", format));
        Logger app = context.getLogger("br.com.reistech.masking");
        ThreadContext.put("requestId", "req-mask");
        app.info("customer cpf {} phone {} wa_id {}", "123.456.789-09", "+55 11 98765-4321", "5511987654321");
        app.warn("login with password={} and token {}", "hunter2-secret", JWT);
        app.error("payment failed for {}", "(21) 99876-5432", new IllegalStateException("cpf 987.654.321-00 refused",
                new RuntimeException("Authorization: Bearer abcdefgh12345678 and senha=segredo-xyz")));
        context.getLogger("http").info("POST /api/login?access_token=tok-raw-123 200 durationMs=12");
        context.getLogger("audit").info("user.created cpf=98765432100 phone=21987654321");
        context.stop(5, SECONDS);

        String everything = allFiles();
        assertThat(everything).doesNotContain("123.456.789-09", "98765-4321", "5511987654321", "hunter2-secret",
                "eyJ", "99876-5432", "987.654.321-00", "abcdefgh12345678", "segredo-xyz", "tok-raw-123",
                "98765432100", "21987654321");
        assertThat(everything).contains("***.***.***-09", "+55 ** *****-**21", "55*********21", "password=***",
                "(**) *****-**32", "***.***.***-00", "Bearer ***", "senha=***", "access_token=***",
                "cpf=*********00", "durationMs=12", "IllegalStateException", "Caused by");
    }

    @Test
    void writesJsonLinesWithEveryField() throws IOException {
        LoggerContext context = start(production(), Map.of("LOG_FORMAT", "json"));
        Logger app = context.getLogger("br.com.reistech.json");
        app.info("plain line");
        ThreadContext.put("requestId", "req-json");
        ThreadContext.put("clientIp", "203.0.113.9");
        app.error("failed line", new IllegalArgumentException("bad \"input\""));
        context.getLogger("http").info("GET / 200");
        context.stop(5, SECONDS);

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : allFiles().split("\n")) {
            lines.add(json.readTree(line));
        }
        assertThat(lines).as("combined 2, warn 1, error 1, http 1").hasSize(5).allSatisfy(line -> assertThat(line.fieldNames())
                .toIterable().contains("time", "level", "requestId", "workspace", "user", "clientIp", "logger",
                        "thread", "message"));
        JsonNode plain = lines.stream().filter(l -> l.get("message").asText().equals("plain line")).findFirst().orElseThrow();
        assertThat(plain.get("requestId").asText()).isEqualTo("thread:main");
        assertThat(plain.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(plain.has("error")).isFalse();
        JsonNode failed = lines.stream().filter(l -> l.get("message").asText().equals("failed line")).findFirst().orElseThrow();
        assertThat(failed.get("requestId").asText()).isEqualTo("req-json");
        assertThat(failed.get("clientIp").asText()).isEqualTo("203.0.113.9");
        assertThat(failed.get("level").asText()).isEqualTo("ERROR");
        assertThat(failed.get("logger").asText()).isEqualTo("br.com.reistech.json");
        assertThat(failed.at("/error/type").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(failed.at("/error/message").asText()).isEqualTo("bad \"input\"");
        assertThat(failed.at("/error/stackTrace").asText()).contains("\tat br.com.reistech.logging.LogFilesIT");
    }

    @Test
    void rollsGzipsAndDeletesByAgeInEveryFamily() {
        LoggerContext context = start(everySecond(production().replaceAll("age=\"P\\d+D\"", "age=\"PT2S\"")), Map.of());
        Ticker ticker = new Ticker(context);

        Map<String, Path> firstRolled = new HashMap<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ticker.tick();
            FAMILIES.forEach(family -> rolled(family).stream().findFirst().ifPresent(f -> firstRolled.putIfAbsent(family, f)));
            return firstRolled.size() == FAMILIES.size();
        });
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ticker.tick();
            return firstRolled.values().stream().noneMatch(Files::exists);
        });
        context.stop(5, SECONDS);

        for (String family : FAMILIES) {
            assertThat(rolled(family)).as(family + " keeps its recent rolled files").isNotEmpty()
                    .allSatisfy(file -> assertThat(gunzip(file)).contains("tick"));
            assertThat(unrolled(family)).as(family + " has only the file being written uncompressed").hasSize(1);
        }
    }

    @Test
    void deletesTheOldestRolledFilesBeyondTheSizeCapInEveryFamily() {
        Map<String, String> caps = FAMILIES.stream().collect(
                Collectors.toMap(f -> "LOG_CAP_" + f.toUpperCase(), f -> "3KB"));
        LoggerContext context = start(everySecond(production()), caps);
        Ticker ticker = new Ticker(context);

        Map<String, Path> firstRolled = new HashMap<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ticker.tick();
            FAMILIES.forEach(family -> rolled(family).stream().findFirst().ifPresent(f -> firstRolled.putIfAbsent(family, f)));
            return firstRolled.size() == FAMILIES.size()
                    && firstRolled.values().stream().noneMatch(Files::exists)
                    && FAMILIES.stream().allMatch(family -> size(rolled(family)) <= 3 * 1024);
        });
        context.stop(5, SECONDS);

        for (String family : FAMILIES) {
            assertThat(rolled(family)).as(family + " keeps the newest files within the cap").hasSizeGreaterThan(1);
        }
    }

    /** Logs one line to every family, each with 64 random characters so gzip cannot shrink it away. */
    private static final class Ticker {
        private final Logger app;
        private final Logger http;
        private final Logger audit;

        Ticker(LoggerContext context) {
            app = context.getLogger("br.com.reistech.ticker");
            http = context.getLogger("http");
            audit = context.getLogger("audit");
        }

        void tick() {
            String noise = UUID.randomUUID() + "" + UUID.randomUUID();
            app.error("tick {}", noise);
            http.info("tick {}", noise);
            audit.info("tick {}", noise);
        }
    }

    private LoggerContext start(String configuration, Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.put("LOG_DIR", logs.toString());
        all.forEach(System::setProperty);
        try {
            Path file = work.resolve("log4j2-" + contexts.size() + ".xml");
            Files.writeString(file, configuration);
            LoggerContext context = new LoggerContext("LogFilesIT-" + contexts.size(), null, file.toUri());
            contexts.add(context);
            context.start();
            assertThat(context.getConfiguration().getAppenders()).containsKeys("console", "combined", "http");
            assertThat(context.getConfiguration().getLoggerConfig("http")).isInstanceOf(AsyncLoggerConfig.class);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            all.keySet().forEach(System::clearProperty);
        }
    }

    private static String production() {
        try {
            return Files.readString(PRODUCTION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A day that lasts a second: rollover, gzip and deletion happen within the test. */
    private static String everySecond(String configuration) {
        String compressed = configuration.replace("-%d{yyyy-MM-dd}.log.gz", "-%d{yyyy-MM-dd_HH-mm-ss}.log.gz");
        assertThat(compressed).isNotEqualTo(configuration);
        return compressed;
    }

    private String currentFile(String family) {
        List<Path> files = unrolled(family);
        assertThat(files).as(family + " file being written").hasSize(1);
        assertThat(files.get(0).getFileName().toString()).matches(family + "-\\d{4}-\\d{2}-\\d{2}\\.log");
        try {
            return Files.readString(files.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String allFiles() {
        try (Stream<Path> files = Files.list(logs)) {
            return files.sorted().map(f -> f.toString().endsWith(".gz") ? gunzip(f) : read(f))
                    .collect(Collectors.joining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> rolled(String family) {
        return list(family + "-", ".log.gz");
    }

    private List<Path> unrolled(String family) {
        return list(family + "-", ".log");
    }

    private List<Path> list(String prefix, String suffix) {
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(List<Path> files) {
        return files.stream().mapToLong(f -> {
            try {
                return Files.size(f);
            } catch (IOException gone) {
                return 0;
            }
        }).sum();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String gunzip(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
