package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.it.ApiClient.Reply;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An administrator of workspace A reaches none of workspace B's data: every by-id route answers
 * 404 for B's ids, lists show only A, and B's data is unchanged afterwards.
 */
@ExtendWith(Environment.Extension.class)
class TenantIsolationIT {

    private static final String PASSWORD = "Senha-Forte-2026!";

    @Test
    void everyByIdRouteAnswers404ForAnotherWorkspacesIds(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slugA = ApiClient.uniqueSlug("tenant-a");
        String slugB = ApiClient.uniqueSlug("tenant-b");
        UUID a = api.workspace(platform, slugA);
        UUID b = api.workspace(platform, slugB);
        api.user(platform, a, "admin@a.example", "ADMIN", PASSWORD);
        UUID victim = api.user(platform, b, "vitima@b.example", "AGENT", PASSWORD);
        String adminA = api.tokens(slugA, "admin@a.example", PASSWORD).access();

        var update = JSON.createObjectNode().put("email", "hacked@a.example").put("nome", "Hacked").put("role", "ADMIN");
        List<Reply> replies = List.of(
                api.call("GET", "/api/users/" + victim, adminA, null),
                api.call("PUT", "/api/users/" + victim, adminA, update),
                api.call("DELETE", "/api/users/" + victim, adminA, null),
                api.call("POST", "/api/users/" + victim + "/unlock", adminA, null));
        for (Reply reply : replies) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.raw().body()).doesNotContain("vitima", victim.toString().substring(0, 8) + "\"");
        }
        Reply list = api.call("GET", "/api/users?size=100", adminA, null);
        assertThat(list.body().path("items").findValuesAsText("workspaceId")).containsOnly(a.toString());
        assertThat(api.call("GET", "/api/workspaces/" + b, adminA, null).status()).isEqualTo(403);

        Reply login = api.login(slugB, "vitima@b.example", PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        Reply me = api.call("GET", "/api/auth/me", login.text("accessToken"), null);
        assertThat(me.text("email")).isEqualTo("vitima@b.example");
        assertThat(me.text("role")).isEqualTo("AGENT");
        assertThat(me.body().path("active").asBoolean()).isTrue();
    }

    @Test
    void aTokenOfOneWorkspaceCannotBeUsedToLogInToAnother(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slugA = ApiClient.uniqueSlug("tenant-c");
        String slugB = ApiClient.uniqueSlug("tenant-d");
        UUID a = api.workspace(platform, slugA);
        api.workspace(platform, slugB);
        api.user(platform, a, "same@x.example", "AGENT", PASSWORD);
        assertThat(api.login(slugA, "same@x.example", PASSWORD).status()).isEqualTo(200);
        assertThat(api.login(slugB, "same@x.example", PASSWORD).status()).isEqualTo(401);
    }
}
