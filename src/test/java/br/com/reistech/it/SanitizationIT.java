package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.it.ApiClient.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Structural input limits of the sanitization filter, over HTTP. */
@ExtendWith(Environment.Extension.class)
class SanitizationIT {

    @Test
    void aRepeatedQueryParameterIsRefused(Environment env) throws Exception {
        String token = env.platformToken();
        Reply polluted = env.api().call("GET", "/api/conversations?status=ACTIVE&status=CLOSED", token, null);
        assertThat(polluted.status()).isEqualTo(400);
        assertThat(polluted.text("type")).endsWith("/invalid-parameter");
        assertThat(polluted.text("detail")).contains("status");
        assertThat(env.api().call("GET", "/api/conversations?status=ACTIVE", token, null).status()).isEqualTo(200);
    }

    @Test
    void pathsTomcatAndJaxRsWouldReadDifferentlyAreRefused(Environment env) throws Exception {
        for (String path : new String[] {"/api;x/auth/login", "/api/auth;x/login", "/api//auth/login", "/api/./auth/login",
                "/api/%2e/auth/login"}) {
            Reply reply = env.api().call("POST", path, null, JSON.createObjectNode().put("workspace", "demo")
                    .put("email", "a@x.example").put("password", "x"));
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertThat(reply.raw().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    @Test
    void operatorKeysDeepNestingAndOversizedBodiesAreRefusedBeforeTheApplication(Environment env) throws Exception {
        Reply operator = env.api().call("POST", "/api/auth/login", null,
                "{\"workspace\":\"demo\",\"email\":{\"$ne\":\"\"},\"password\":{\"$gt\":\"\"}}");
        assertThat(operator.status()).isEqualTo(400);
        assertThat(operator.text("type")).endsWith("/invalid-body");
        Reply prototype = env.api().call("POST", "/api/diagnostics/echo", null,
                "{\"nome\":\"Ana\",\"email\":\"ana@x.example\",\"quantidade\":1,\"__proto__\":{\"admin\":true}}");
        assertThat(prototype.status()).isEqualTo(400);
        Reply deep = env.api().call("POST", "/api/diagnostics/echo", null, "[".repeat(40) + "]".repeat(40));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.text("detail")).contains("deeper");

        String big = "{\"nome\":\"" + "a".repeat(1024 * 1024) + "\",\"email\":\"a@x.example\",\"quantidade\":1}";
        HttpResponse<String> tooLarge = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/api/diagnostics/echo"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)).build());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("/problems/payload-too-large");
    }

    @Test
    void plainPortugueseThatLooksLikeCodeIsNotTouched(Environment env) throws Exception {
        String text = "Olá! Select o modelo; a união não vai \"drop\" o preço -- or 1=1? {$gt} 😀";
        Reply echoed = env.api().call("POST", "/api/diagnostics/echo", null, JSON.createObjectNode()
                .put("nome", text).put("email", "joao.d'avila@x.example").put("quantidade", 2));
        assertThat(echoed.status()).isEqualTo(200);
        assertThat(echoed.text("nome")).isEqualTo(text);
    }
}
