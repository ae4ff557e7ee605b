package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import br.com.reistech.it.ApiClient.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit trail: listed with filters, sealed into a hash chain, a hand-edited or deleted row found. */
@ExtendWith(Environment.Extension.class)
class AuditIT {

    @Test
    void aHandEditedOrDeletedRowIsFoundByVerify(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("audit");
        UUID workspace = api.workspace(platform, slug);
        api.user(platform, workspace, "auditada@x.example", "AGENT", "Senha-Forte-2026!");

        JsonNode rows = api.call("GET", "/api/admin/audit?workspaceId=" + workspace + "&action=user.created", platform, null).body();
        assertThat(rows).hasSize(1);
        long id = rows.get(0).path("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> api.call("GET", "/api/admin/audit?workspaceId=" + workspace
                + "&action=user.created", platform, null).body().get(0).path("sealed").asBoolean());
        JsonNode sound = verify(api, platform);
        assertThat(sound.path("intact").asBoolean()).isTrue();
        assertThat(sound.path("checked").asLong()).isPositive();

        try (Connection db = env.jdbc(); var edit = db.prepareStatement("update audit_event set target = ? where id = ?")) {
            String original = rows.get(0).path("target").asText();
            edit.setString(1, "forjado");
            edit.setLong(2, id);
            edit.executeUpdate();
            JsonNode report = verify(api, platform);
            assertThat(report.path("intact").asBoolean()).isFalse();
            assertThat(report.path("firstBrokenId").asLong()).isEqualTo(id);
            assertThat(report.path("reason").asText()).contains("content");
            assertThat(env.tomcat.jmxInvoke("br.com.reistech:type=Audit,context=ROOT", "verifyChain"))
                    .contains("firstBrokenId=" + id);
            edit.setString(1, original);
            edit.setLong(2, id);
            edit.executeUpdate();
        }
        assertThat(verify(api, platform).path("intact").asBoolean()).isTrue();

        // Workspace administrators read their own workspace only; verifying is for the platform.
        api.user(platform, workspace, "chefe@audit.example", "ADMIN", "Senha-Forte-2026!");
        String admin = api.tokens(slug, "chefe@audit.example", "Senha-Forte-2026!").access();
        assertThat(api.call("GET", "/api/admin/audit", admin, null).body().findValuesAsText("workspaceId"))
                .containsOnly(workspace.toString());
        assertThat(api.call("GET", "/api/admin/audit?workspaceId=" + UUID.randomUUID(), admin, null).status()).isEqualTo(403);
        assertThat(api.call("POST", "/api/admin/audit/verify", admin, null).status()).isEqualTo(403);

        // Deleting a sealed row breaks its successor's link.
        await().atMost(Duration.ofSeconds(20)).until(() -> successor(env, id) > 0);
        long successor = successor(env, id);
        try (Connection db = env.jdbc(); var delete = db.prepareStatement("delete from audit_event where id = ?")) {
            delete.setLong(1, id);
            delete.executeUpdate();
        }
        JsonNode report = verify(api, platform);
        assertThat(report.path("intact").asBoolean()).isFalse();
        assertThat(report.path("firstBrokenId").asLong()).isEqualTo(successor);
    }

    /** The row sealed right after {@code id}; 0 while there is none yet. */
    private static long successor(Environment env, long id) throws Exception {
        try (Connection db = env.jdbc(); var next = db.prepareStatement(
                "select id from audit_event where seal_seq = (select seal_seq + 1 from audit_event where id = ?)")) {
            next.setLong(1, id);
            try (var result = next.executeQuery()) {
                return result.next() ? result.getLong(1) : 0;
            }
        }
    }

    private static JsonNode verify(ApiClient api, String platform) throws Exception {
        Reply reply = api.call("POST", "/api/admin/audit/verify", platform, null);
        assertThat(reply.status()).isEqualTo(200);
        return reply.body();
    }
}
