package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.it.ApiClient.Reply;
import br.com.reistech.it.ApiClient.Tokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Login, refresh rotation, logout, revocation, lockout and token attacks, end to end. */
@ExtendWith(Environment.Extension.class)
class AuthIT {

    private static final String PASSWORD = "Senha-Forte-2026!";

    private Environment env;
    private ApiClient api;
    private String platform;
    private String slug;
    private UUID workspace;

    @BeforeEach
    void workspace(Environment env) throws Exception {
        this.env = env;
        this.api = env.api();
        this.platform = env.platformToken();
        this.slug = ApiClient.uniqueSlug("auth");
        this.workspace = api.workspace(platform, slug);
    }

    private UUID user(String email, String role) throws Exception {
        return api.user(platform, workspace, email, role, PASSWORD);
    }

    @Test
    void loginIssuesTokensThatIdentifyTheUser() throws Exception {
        UUID id = user("maria@loja.example", "AGENT");
        Reply login = api.login(slug, "Maria@Loja.example", PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("tokenType")).isEqualTo("Bearer");
        assertThat(login.body().path("expiresIn").asLong()).isBetween(880L, 900L);
        String[] parts = login.text("accessToken").split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"kid\":\"k1\"", "\"alg\":\"HS256\"");
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).fieldNames())
                .toIterable().contains("iss", "aud", "sub", "ws", "role", "jti", "iat", "exp");

        Reply me = api.call("GET", "/api/auth/me", login.text("accessToken"), null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("id")).isEqualTo(id.toString());
        assertThat(me.text("role")).isEqualTo("AGENT");
    }

    @Test
    void unknownWorkspaceUnknownUserWrongPasswordAndLockedAccountGetTheSame401() throws Exception {
        user("joao@loja.example", "AGENT");
        Reply unknownWorkspace = api.login("no-such-workspace", "joao@loja.example", PASSWORD);
        Reply unknownUser = api.login(slug, "nobody@loja.example", PASSWORD);
        Reply wrongPassword = api.login(slug, "joao@loja.example", "wrong-password-123");
        for (int i = 0; i < 4; i++) {
            api.login(slug, "joao@loja.example", "wrong-password-123");
        }
        Reply locked = api.login(slug, "joao@loja.example", PASSWORD);

        for (Reply reply : new Reply[] {unknownWorkspace, unknownUser, wrongPassword, locked}) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"reistech\"");
            ObjectNode body = (ObjectNode) reply.body().deepCopy();
            body.remove("requestId");
            assertThat(body).isEqualTo(withoutRequestId(unknownWorkspace));
        }
    }

    @Test
    void repeatedFailuresLockTheAccountUntilAnAdministratorUnlocksIt() throws Exception {
        UUID id = user("ana@loja.example", "SUPERVISOR");
        for (int i = 0; i < 5; i++) {
            assertThat(api.login(slug, "ana@loja.example", "wrong-password-123").status()).isEqualTo(401);
        }
        assertThat(api.login(slug, "ana@loja.example", PASSWORD).status()).isEqualTo(401);
        Reply view = api.call("GET", "/api/workspaces/" + workspace, platform, null);
        assertThat(view.status()).isEqualTo(200);

        user("admin@loja.example", "ADMIN");
        String admin = api.tokens(slug, "admin@loja.example", PASSWORD).access();
        assertThat(api.call("GET", "/api/users/" + id, admin, null).body().path("locked").asBoolean()).isTrue();
        assertThat(api.call("POST", "/api/users/" + id + "/unlock", admin, null).status()).isEqualTo(200);
        assertThat(api.login(slug, "ana@loja.example", PASSWORD).status()).isEqualTo(200);
        try (var connection = env.jdbc(); var query = connection.prepareStatement(
                "select count(*) from audit_event where action = 'user.locked' and target = ?")) {
            query.setString(1, id.toString());
            try (var rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void refreshRotatesAndReusingADeadRefreshTokenRevokesTheWholeSession() throws Exception {
        user("caio@loja.example", "AGENT");
        Tokens first = api.tokens(slug, "caio@loja.example", PASSWORD);
        Reply rotated = refresh(first.refresh());
        assertThat(rotated.status()).isEqualTo(200);
        String secondAccess = rotated.text("accessToken");
        String secondRefresh = rotated.text("refreshToken");
        assertThat(api.call("GET", "/api/auth/me", secondAccess, null).status()).isEqualTo(200);

        assertThat(refresh(first.refresh()).status()).isEqualTo(401);

        assertThat(refresh(secondRefresh).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/auth/me", secondAccess, null).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/auth/me", first.access(), null).status()).isEqualTo(401);
    }

    @Test
    void logoutEndsTheAccessAndRefreshTokensOfThatSessionOnly() throws Exception {
        user("bia@loja.example", "AGENT");
        Tokens phone = api.tokens(slug, "bia@loja.example", PASSWORD);
        Tokens laptop = api.tokens(slug, "bia@loja.example", PASSWORD);
        assertThat(api.call("POST", "/api/auth/logout", phone.access(), null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/api/auth/me", phone.access(), null).status()).isEqualTo(401);
        assertThat(refresh(phone.refresh()).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/auth/me", laptop.access(), null).status()).isEqualTo(200);
    }

    @Test
    void passwordChangeEndsEverySessionAndTheNewPasswordWorks() throws Exception {
        user("davi@loja.example", "AGENT");
        Tokens one = api.tokens(slug, "davi@loja.example", PASSWORD);
        Tokens two = api.tokens(slug, "davi@loja.example", PASSWORD);
        Reply wrong = api.call("PUT", "/api/auth/password", one.access(), JSON.createObjectNode()
                .put("currentPassword", "not-my-password").put("newPassword", "Nova-Senha-2026!"));
        assertThat(wrong.status()).isEqualTo(400);
        Reply changed = api.call("PUT", "/api/auth/password", one.access(), JSON.createObjectNode()
                .put("currentPassword", PASSWORD).put("newPassword", "Nova-Senha-2026!"));
        assertThat(changed.status()).isEqualTo(204);
        assertThat(api.call("GET", "/api/auth/me", one.access(), null).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/auth/me", two.access(), null).status()).isEqualTo(401);
        assertThat(refresh(two.refresh()).status()).isEqualTo(401);
        assertThat(api.login(slug, "davi@loja.example", PASSWORD).status()).isEqualTo(401);
        assertThat(api.login(slug, "davi@loja.example", "Nova-Senha-2026!").status()).isEqualTo(200);
    }

    @Test
    void roleChangeEndsTheUsersSessions() throws Exception {
        UUID id = user("eva@loja.example", "SUPERVISOR");
        String token = api.tokens(slug, "eva@loja.example", PASSWORD).access();
        Reply changed = api.call("PUT", "/api/users/" + id, platform, JSON.createObjectNode()
                .put("email", "eva@loja.example").put("nome", "Eva Souza").put("role", "AGENT"));
        assertThat(changed.status()).isEqualTo(404);
        user("chefe@loja.example", "ADMIN");
        String admin = api.tokens(slug, "chefe@loja.example", PASSWORD).access();
        changed = api.call("PUT", "/api/users/" + id, admin, JSON.createObjectNode()
                .put("email", "eva@loja.example").put("nome", "Eva Souza").put("role", "AGENT"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/auth/me", token, null).status()).isEqualTo(401);
        String fresh = api.tokens(slug, "eva@loja.example", PASSWORD).access();
        assertThat(api.call("GET", "/api/auth/me", fresh, null).text("role")).isEqualTo("AGENT");
    }

    @Test
    void forgedTokensAreRefusedWith401Problem() throws Exception {
        user("fabio@loja.example", "AGENT");
        Tokens tokens = api.tokens(slug, "fabio@loja.example", PASSWORD);
        String[] parts = tokens.access().split("\\.");
        String none = b64("{\"alg\":\"none\"}") + "." + parts[1] + ".";
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"AGENT\"", "\"PLATFORM_ADMIN\"");
        String tampered = parts[0] + "." + b64(payload) + "." + parts[2];
        for (String forged : new String[] {none, tampered, tokens.refresh(), "garbage", ""}) {
            Reply reply = api.call("GET", "/api/workspaces", forged, null);
            assertThat(reply.status()).as(forged).isEqualTo(401);
            assertThat(reply.text("type")).endsWith("/unauthorized");
        }
        assertThat(api.call("GET", "/api/workspaces", null, null).status()).isEqualTo(401);
        assertThat(refresh(tokens.access()).status()).isEqualTo(401);
    }

    @Test
    void aSecondAuthorizationHeaderIsNotIgnored() throws Exception {
        // The rate limiter reads the first header and the access check all of them: the first's
        // verification may not stand for the pair.
        user("gil@loja.example", "AGENT");
        String access = api.tokens(slug, "gil@loja.example", PASSWORD).access();
        HttpRequest pair = HttpRequest.newBuilder(env.tomcat.uri("/api/auth/me")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + access).header("Authorization", "Bearer garbage").GET().build();
        assertThat(env.tomcat.send(pair).statusCode()).isEqualTo(401);
        assertThat(api.call("GET", "/api/auth/me", access, null).status()).isEqualTo(200);
    }

    @Test
    void passwordLongerThan72BytesIsRefusedWithAClearProblem() throws Exception {
        String tooLong = "ção".repeat(15);
        Reply reply = api.call("POST", "/api/workspaces/" + workspace + "/users", platform, JSON.createObjectNode()
                .put("email", "gil@loja.example").put("nome", "Gil").put("role", "AGENT").put("password", tooLong));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("violations").findValuesAsText("field")).contains("password");
    }

    private Reply refresh(String refreshToken) throws Exception {
        return api.call("POST", "/api/auth/refresh", null, JSON.createObjectNode().put("refreshToken", refreshToken));
    }

    private static ObjectNode withoutRequestId(Reply reply) {
        ObjectNode body = (ObjectNode) reply.body().deepCopy();
        body.remove("requestId");
        return body;
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
