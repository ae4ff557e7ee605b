package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared installation's log files, after this class's traffic and whatever the suite ran
 * before it: one http line per request, a request id on every line, no personal data or secret.
 */
@ExtendWith(Environment.Extension.class)
class LoggingIT {

    private static final Pattern LINE_START = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z .*");
    /** A request id the application gave: a request's, or start-, stop-, job:, jmx-, webhook- ones. */
    private static final Pattern REQUEST_ID = Pattern.compile("^\\S+ \\S+\\s+\\[req=(?!thread:)[^\\]\\s-][^\\]]*] .*");
    /**
     * The only lines allowed to fall back to the thread's name: Weld's, which boots the CDI container
     * (a ServletContainerInitializer) before the application's first line of code runs.
     */
    private static final Pattern BEFORE_THE_APPLICATION = Pattern.compile("^\\S+ \\S+\\s+\\[req=thread:[^\\]]+] \\[ws=-] \\[user=-] o\\.j\\.w\\..*");
    private static final List<String> FAMILIES = List.of("combined", "error", "warn", "http", "audit");

    @Test
    void eachRequestGetsOneHttpLineWithItsIdStatusBytesAndDuration(Environment env) throws Exception {
        String id = "logging-it-" + System.nanoTime();
        var response = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/api/no-such-route?q=1"))
                .header("X-Request-Id", id).GET().build());
        assertThat(response.statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> env.logs("ROOT", "http").contains("[req=" + id + "]"));
        List<String> lines = Arrays.stream(env.logs("ROOT", "http").split("\n")).filter(l -> l.contains("[req=" + id + "]")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).containsPattern("method=GET path=/api/no-such-route status=404 bytes=[1-9][0-9]* "
                + "durationMs=[0-9]+ ip=127\\.0\\.0\\.1").doesNotContain("q=1");
        assertThat(env.logs("ROOT", "combined")).doesNotContain("[req=" + id + "] [ws=-] [user=-] http ");
    }

    @Test
    void everyLineOfEveryFileCarriesARequestIdAndNoPersonalDataOrSecret(Environment env) throws Exception {
        String token = env.platformToken();
        env.api().call("GET", "/api/auth/me", token, null);
        env.api().login("demo", Environment.ADMIN_EMAIL, "wrong-password-for-the-log");
        env.tomcat.get("/api/diagnostics/failure");
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.send("5511987654321", "Maria", "oi, meu CPF é 123.456.789-09");
        store.awaitReplies("5511987654321", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> env.logs("ROOT", "error").contains("diagnostic failure"));

        int lines = 0;
        int beforeTheApplication = 0;
        for (String family : FAMILIES) {
            String text = env.logs("ROOT", family);
            assertThat(text).as(family).doesNotContain(env.adminPassword, "wrong-password-for-the-log", token,
                    "5511987654321", "98765-4321", "123.456.789-09", ConnectedWorkspace.ACCESS_TOKEN,
                    ConnectedWorkspace.APP_SECRET, env.jwtSecret);
            assertThat(text).as(family).doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.");
            for (String line : text.split("\n")) {
                if (LINE_START.matcher(line).matches()) {
                    lines++;
                    if (BEFORE_THE_APPLICATION.matcher(line).matches()) {
                        beforeTheApplication++;
                    } else {
                        assertThat(line).as(family).matches(REQUEST_ID);
                    }
                }
            }
        }
        System.out.printf("Log lines checked: %d in %d families; all with a request id but %d of Weld's before the "
                + "application starts; no password, token, phone or CPF in any%n", lines, FAMILIES.size(), beforeTheApplication);
        assertThat(env.logs("ROOT", "http")).isNotBlank();
        assertThat(env.logs("ROOT", "audit")).contains("auth.login");
    }
}
