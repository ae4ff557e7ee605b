package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.it.ApiClient.Reply;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Workspaces and their settings, managed by platform administrators. */
@ExtendWith(Environment.Extension.class)
class WorkspacesIT {

    private static final String PASSWORD = "Senha-Forte-2026!";

    @Test
    void createdWorkspaceGetsDefaultSettingsAndCanBeReadAndListed(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("ws");
        UUID id = api.workspace(platform, slug);
        Reply got = api.call("GET", "/api/workspaces/" + id, platform, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().at("/settings/businessHours/timezone").asText()).isEqualTo("America/Sao_Paulo");
        // Every page: the other tests' workspaces may push this one past the first.
        List<String> listed = new ArrayList<>();
        for (int page = 0; page < 100; page++) {
            List<String> slugs = api.call("GET", "/api/workspaces?size=100&page=" + page, platform, null).body()
                    .path("items").findValuesAsText("slug");
            listed.addAll(slugs);
            if (slugs.size() < 100) {
                break;
            }
        }
        assertThat(listed).contains(slug, "demo");
    }

    @Test
    void duplicateSlugIs409AndBadSlugIs400(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        Reply duplicate = api.call("POST", "/api/workspaces", platform,
                JSON.createObjectNode().put("slug", "demo").put("name", "Outra"));
        assertThat(duplicate.status()).isEqualTo(409);
        Reply bad = api.call("POST", "/api/workspaces", platform,
                JSON.createObjectNode().put("slug", "Loja Centro!").put("name", "Centro"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("violations").findValuesAsText("field")).containsExactly("slug");
    }

    @Test
    void settingsAreValidatedAsAWhole(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("ws");
        UUID id = api.workspace(platform, slug);
        ObjectNode settings = (ObjectNode) api.call("GET", "/api/workspaces/" + id, platform, null).body().path("settings");
        ((ObjectNode) settings.path("businessHours")).put("timezone", "Mars/Olympus");
        ((ObjectNode) settings.at("/businessHours/week/mon/0")).put("open", "19:00");
        settings.putArray("corsOrigins").add("javascript:alert(1)");
        Reply reply = api.call("PUT", "/api/workspaces/" + id, platform,
                JSON.createObjectNode().put("slug", slug).put("name", "Loja").set("settings", settings));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("violations").findValuesAsText("field")).isNotEmpty();

        ((ObjectNode) settings.path("businessHours")).put("timezone", "America/Manaus");
        ((ObjectNode) settings.at("/businessHours/week/mon/0")).put("open", "08:00");
        settings.putArray("corsOrigins").add("https://loja.example.com");
        Reply ok = api.call("PUT", "/api/workspaces/" + id, platform,
                JSON.createObjectNode().put("slug", slug).put("name", "Loja Manaus").set("settings", settings));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().at("/settings/businessHours/timezone").asText()).isEqualTo("America/Manaus");
        assertThat(ok.body().at("/settings/corsOrigins/0").asText()).isEqualTo("https://loja.example.com");
    }

    @Test
    void deactivatingAWorkspaceEndsItsUsersSessionsAndLogins(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("ws");
        UUID id = api.workspace(platform, slug);
        api.user(platform, id, "agente@loja.example", "AGENT", PASSWORD);
        String token = api.tokens(slug, "agente@loja.example", PASSWORD).access();
        assertThat(api.call("DELETE", "/api/workspaces/" + id, platform, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/api/auth/me", token, null).status()).isEqualTo(401);
        assertThat(api.login(slug, "agente@loja.example", PASSWORD).status()).isEqualTo(401);
    }
}
