package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every error, whoever raises it, is RFC 9457 problem+json with no internals. */
@ExtendWith(Environment.Extension.class)
class ProblemResponsesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPES = "https://docs.reistech.com.br/problems/";

    @Test
    void unknownApiRouteIs404Problem(Environment env) throws Exception {
        assertProblem(env.tomcat.get("/api/no-such-thing"), 404, "not-found");
    }

    @Test
    void pathOutsideTheApiIs404ProblemNotTomcatsPage(Environment env) throws Exception {
        assertProblem(env.tomcat.get("/index.html"), 404, "not-found");
    }

    @Test
    void wrongMethodIs405ProblemWithAllow(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.send(request(env, "/api/openapi.json").DELETE().build());
        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow").orElse("")).contains("GET");
    }

    @Test
    void wrongMethodOnAHealthProbeIs405Problem(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.send(request(env, "/ready")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertProblem(response, 405, "method-not-allowed");
    }

    @Test
    void unsupportedContentTypeIs415Problem(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.send(request(env, "/api/diagnostics/echo")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("nome=x")).build());
        assertProblem(response, 415, "unsupported-media-type");
    }

    @Test
    void malformedJsonIs400Problem(Environment env) throws Exception {
        JsonNode body = assertProblem(post(env, "{\"nome\": \"abc\", "), 400, "malformed-json");
        assertThat(body.path("detail").asText()).doesNotContain("line", "column", "Unexpected");
    }

    @Test
    void trailingGarbageAndDuplicateKeysAreMalformedJson(Environment env) throws Exception {
        assertProblem(post(env, "{\"nome\":\"Maria\",\"email\":\"m@x.com\",\"quantidade\":2} {}"), 400, "malformed-json");
        assertProblem(post(env, "{\"nome\":\"Maria\",\"nome\":\"Joana\",\"email\":\"m@x.com\",\"quantidade\":2}"),
                400, "malformed-json");
    }

    @Test
    void valueOfTheWrongTypeIs400ProblemNamingTheField(Environment env) throws Exception {
        JsonNode body = assertProblem(post(env, "{\"nome\":\"Maria\",\"email\":\"m@x.com\",\"quantidade\":\"muitos\"}"),
                400, "invalid-body");
        assertThat(body.path("detail").asText()).contains("quantidade").doesNotContain("Integer", "java");
    }

    @Test
    void unknownFieldIs400Problem(Environment env) throws Exception {
        JsonNode body = assertProblem(post(env, "{\"nome\":\"Maria\",\"email\":\"m@x.com\",\"quantidade\":1,\"admin\":true}"),
                400, "invalid-body");
        assertThat(body.path("detail").asText()).contains("admin");
    }

    @Test
    void constraintViolationsAre400ProblemListingEachField(Environment env) throws Exception {
        JsonNode body = assertProblem(post(env, "{\"nome\":\"Jo\",\"email\":\"not-an-email\",\"quantidade\":0}"),
                400, "validation-failed");
        assertThat(body.path("violations")).hasSize(3);
        assertThat(body.path("violations").findValuesAsText("field"))
                .containsExactlyInAnyOrder("nome", "email", "quantidade");
        assertThat(body.path("violations").findValuesAsText("in")).containsOnly("body");
    }

    @Test
    void validBodyPassesThrough(Environment env) throws Exception {
        HttpResponse<String> response = post(env, "{\"nome\":\"Maria\",\"email\":\"m@x.com\",\"quantidade\":2}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("nome").asText()).isEqualTo("Maria");
    }

    @Test
    void unexpectedFailureIs500WithOnlyTheRequestIdWhichTheErrorLogHasWithTheStackTrace(Environment env)
            throws Exception {
        HttpResponse<String> response = env.tomcat.get("/api/diagnostics/failure");
        JsonNode body = assertProblem(response, 500, "internal-error");
        assertThat(body.has("detail")).isFalse();
        assertThat(response.body()).doesNotContain("diagnostic failure", "IllegalState");
        String requestId = body.path("requestId").asText();
        assertThat(requestId).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> env.logs("ROOT", "error").contains("request id " + requestId));
        String text = env.logs("ROOT", "error");
        String failure = text.substring(text.indexOf("request id " + requestId));
        assertThat(failure).contains("java.lang.IllegalStateException: diagnostic failure")
                .doesNotContain("98765-4321", "123.456.789", "eyJhbGciOiJIUzI1NiJ9.");
    }

    @Test
    void saneIncomingRequestIdIsEchoed(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.send(request(env, "/api/no-such-thing")
                .header("X-Request-Id", "edge-42.abc:1").GET().build());
        assertThat(response.headers().firstValue("X-Request-Id")).contains("edge-42.abc:1");
        assertThat(JSON.readTree(response.body()).path("requestId").asText()).isEqualTo("edge-42.abc:1");
    }

    @Test
    void unsafeIncomingRequestIdIsReplaced(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.send(request(env, "/alive")
                .header("X-Request-Id", "<script>alert(1)</script>").GET().build());
        assertThat(response.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    void errorResponsesCarryTheSecurityHeadersAndNoServerVersion(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.get("/api/diagnostics/failure");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Server").orElse("").strip()).isEmpty();
        assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
    }

    private static HttpRequest.Builder request(Environment env, String path) {
        return HttpRequest.newBuilder(env.tomcat.uri(path)).timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> post(Environment env, String json) throws Exception {
        return env.tomcat.send(request(env, "/api/diagnostics/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo(TYPES + type);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("requestId").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "Tomcat", "jersey", "org.");
        return body;
    }
}
