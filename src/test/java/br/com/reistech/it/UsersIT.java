package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.it.ApiClient.Reply;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Users of a workspace: validation, uniqueness, CPF handling, privileges, deactivation. */
@ExtendWith(Environment.Extension.class)
class UsersIT {

    private static final String PASSWORD = "Senha-Forte-2026!";

    private Environment env;
    private ApiClient api;
    private String slug;
    private String admin;

    @BeforeEach
    void workspace(Environment env) throws Exception {
        this.env = env;
        this.api = env.api();
        String platform = env.platformToken();
        this.slug = ApiClient.uniqueSlug("users");
        UUID workspace = api.workspace(platform, slug);
        api.user(platform, workspace, "admin@loja.example", "ADMIN", PASSWORD);
        this.admin = api.tokens(slug, "admin@loja.example", PASSWORD).access();
    }

    private Reply create(String email, String nome, String cpf, String role) throws Exception {
        var body = JSON.createObjectNode().put("email", email).put("nome", nome).put("role", role).put("password", PASSWORD);
        if (cpf != null) {
            body.put("cpf", cpf);
        }
        return api.call("POST", "/api/users", admin, body);
    }

    @Test
    void invalidFieldsAreAllListedIn400() throws Exception {
        Reply reply = api.call("POST", "/api/users", admin, JSON.createObjectNode()
                .put("email", "not-an-email").put("nome", "Al").put("cpf", "111.111.111-11")
                .put("role", "AGENT").put("password", "short"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("type")).endsWith("/validation-failed");
        assertThat(reply.body().path("violations").findValuesAsText("field"))
                .containsExactlyInAnyOrder("email", "nome", "cpf", "password");
    }

    @Test
    void unknownRoleIsAClear400() throws Exception {
        Reply reply = create("x@loja.example", "Xavier", null, "GOD");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("detail")).contains("role");
    }

    @Test
    void cpfIsStoredNormalisedAndShownMasked() throws Exception {
        Reply reply = create("cpf@loja.example", "Cláudia Prado", "529.982.247-25", "AGENT");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.text("cpf")).isEqualTo("***.982.247-**");
        assertThat(reply.text("createdAt")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(reply.raw().body()).doesNotContain("52998224725", "529.982.247-25");
        try (var connection = env.jdbc(); var query = connection.prepareStatement("select cpf from app_user where id = ?")) {
            query.setObject(1, UUID.fromString(reply.text("id")));
            try (var rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("52998224725");
            }
        }
    }

    @Test
    void duplicateEmailOrCpfInTheWorkspaceIs409() throws Exception {
        assertThat(create("dup@loja.example", "Primeiro", "529.982.247-25", "AGENT").status()).isEqualTo(201);
        Reply sameEmail = create("DUP@loja.example", "Segundo", null, "AGENT");
        assertThat(sameEmail.status()).isEqualTo(409);
        assertThat(sameEmail.body().path("violations").findValuesAsText("field")).containsExactly("email");
        Reply sameCpf = create("other@loja.example", "Terceiro", "52998224725", "AGENT");
        assertThat(sameCpf.status()).isEqualTo(409);
        assertThat(sameCpf.body().path("violations").findValuesAsText("field")).containsExactly("cpf");
    }

    @Test
    void anAdministratorCannotCreateAPlatformAdministrator() throws Exception {
        Reply reply = create("boss@loja.example", "Boss Maior", null, "PLATFORM_ADMIN");
        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void listIsPaginatedAndOnlyShowsTheWorkspace() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(create("p" + i + "@loja.example", "Pessoa " + i, null, "AGENT").status()).isEqualTo(201);
        }
        Reply page = api.call("GET", "/api/users?page=0&size=2", admin, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().path("items")).hasSize(2);
        assertThat(page.body().path("total").asInt()).isEqualTo(4);
        assertThat(api.call("GET", "/api/users?size=1000", admin, null).status()).isEqualTo(400);
    }

    @Test
    void deactivatedUserCanNoLongerLogInNorUseItsToken() throws Exception {
        UUID id = UUID.fromString(create("saida@loja.example", "Saída Silva", null, "AGENT").text("id"));
        String token = api.tokens(slug, "saida@loja.example", PASSWORD).access();
        assertThat(api.call("DELETE", "/api/users/" + id, admin, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/api/auth/me", token, null).status()).isEqualTo(401);
        assertThat(api.login(slug, "saida@loja.example", PASSWORD).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/users/" + id, admin, null).body().path("active").asBoolean()).isFalse();
    }

    @Test
    void userChangesAreAudited() throws Exception {
        UUID id = UUID.fromString(create("audit@loja.example", "Auditada", null, "AGENT").text("id"));
        api.call("PUT", "/api/users/" + id, admin, JSON.createObjectNode()
                .put("email", "audit@loja.example").put("nome", "Auditada").put("role", "SUPERVISOR"));
        api.call("DELETE", "/api/users/" + id, admin, null);
        try (var connection = env.jdbc(); var query = connection.prepareStatement(
                "select action from audit_event where target = ? order by id")) {
            query.setString(1, id.toString());
            try (var rows = query.executeQuery()) {
                var actions = new java.util.ArrayList<String>();
                while (rows.next()) {
                    actions.add(rows.getString(1));
                }
                assertThat(actions).containsExactly("user.created", "user.changed", "user.role-changed", "user.deleted");
            }
        }
    }
}
