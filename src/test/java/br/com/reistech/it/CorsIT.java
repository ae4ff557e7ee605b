package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CORS: the installation's and each workspace's origins, preflights, exposure of the rate-limit headers. */
@ExtendWith(Environment.Extension.class)
class CorsIT {

    private static final String PANEL = "https://painel.reistech.test";

    @Test
    void anAllowedOriginsPreflightIsAnsweredHereWithWhatItMayUse(Environment env) throws Exception {
        HttpResponse<String> preflight = preflight(env, PANEL);
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PANEL);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST", "DELETE");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("authorization, content-type");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(preflight.headers().allValues("Vary")).contains("Origin");
        assertThat(preflight.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void anOriginNobodyAllowedGetsA403ProblemAndNoGrant(Environment env) throws Exception {
        HttpResponse<String> preflight = preflight(env, "https://evil.example");
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(preflight.body()).contains("/problems/forbidden");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> actual = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/api/openapi.json"))
                .header("Origin", "https://evil.example").GET().build());
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void anAllowedOriginSeesTheRateLimitAndRequestIdHeaders(Environment env) throws Exception {
        HttpResponse<String> actual = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/api/openapi.json"))
                .header("Origin", PANEL).GET().build());
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PANEL);
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
                .contains("RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id");
        assertThat(actual.headers().firstValue("RateLimit")).isPresent();
    }

    @Test
    void aWorkspacesOwnOriginIsAllowedOnceItIsInItsSettings(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("cors");
        String origin = "https://" + slug + ".loja.example";
        var workspace = api.workspace(platform, slug);
        assertThat(preflight(env, origin).statusCode()).isEqualTo(403);
        ObjectNode settings = (ObjectNode) api.call("GET", "/api/workspaces/" + workspace, platform, null).body().path("settings");
        settings.putArray("corsOrigins").add(origin);
        assertThat(api.call("PUT", "/api/workspaces/" + workspace, platform, JSON.createObjectNode().put("slug", slug)
                .put("name", "Loja CORS").set("settings", settings)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> preflight(env, origin).statusCode() == 204);
    }

    private static HttpResponse<String> preflight(Environment env, String origin) throws Exception {
        return env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/api/auth/me"))
                .header("Origin", origin).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "Authorization, Content-Type, X-Evil")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }
}
