package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import br.com.reistech.it.ApiClient.Reply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code WHATSAPP_MODE=simulated}, as {@code scripts/run-local.sh} runs: an injected "oi" goes
 * through the webhook processing path and the bot's greeting is recorded as sent, without any call
 * to Meta. The same routes answer 404 in cloud mode. Undeploying the context, with its webhook and
 * bot workers running, leaves no thread behind.
 */
@ExtendWith(Environment.Extension.class)
class SimulatedModeIT {

    @Test
    void anInjectedOiProducesTheGreetingInTheRecordedOutboundMessages(Environment env) throws Exception {
        assertThat(env.tomcat.deploy("/sim", env.war, env.appConfig("sim", Map.of("WHATSAPP_MODE", "simulated"))))
                .startsWith("OK");
        try {
            ApiClient api = env.api();
            String token = api.call("POST", "/sim/api/auth/login", null, JSON.createObjectNode().put("workspace", "demo")
                    .put("email", Environment.ADMIN_EMAIL).put("password", env.adminPassword)).text("accessToken");
            int graphCallsBefore = env.graph.getAllServeEvents().size();

            Reply injected = api.call("POST", "/sim/api/dev/whatsapp/inbound", token,
                    JSON.createObjectNode().put("from", "5511988887777").put("text", "oi").put("name", "Gabi"));
            assertThat(injected.status()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var recorded = api.call("GET", "/sim/api/dev/whatsapp/outbound?to=5511988887777", token, null).body();
                return recorded.size() >= 2 && recorded.findValuesAsText("status").stream().allMatch("sent"::equals);
            });
            Reply outbound = api.call("GET", "/sim/api/dev/whatsapp/outbound?to=5511988887777", token, null);
            assertThat(outbound.body().get(0).path("body").asText()).startsWith("Olá, Gabi! Bem-vindo(a) à demo");
            assertThat(outbound.body().get(0).path("status").asText()).isEqualTo("sent");
            assertThat(outbound.body().get(1).path("body").asText()).contains("1 - Ver produtos");
            assertThat(env.graph.getAllServeEvents()).hasSize(graphCallsBefore);

            String rootToken = env.platformToken();
            assertThat(api.call("POST", "/api/dev/whatsapp/inbound", rootToken,
                    JSON.createObjectNode().put("from", "5511988887777").put("text", "oi")).status()).isEqualTo(404);
        } finally {
            assertThat(env.tomcat.manager("undeploy?path=/sim")).startsWith("OK");
        }
        assertThat(UndeployLeakIT.leakWarnings(env.tomcat.console(), "sim")).isEmpty();
    }
}
