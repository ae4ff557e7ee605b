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

    @Test
    void requestsRefusedByTheFiltersOrDeniedByTheApplicationAreRecordedInGroups(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String probe = "/api/cms/texts/audit-probe-" + UUID.randomUUID().toString().substring(0, 8);
        java.sql.Timestamp start = new java.sql.Timestamp(System.currentTimeMillis() - 1000);
        for (int i = 0; i < 3; i++) {
            Reply refused = api.call("GET", probe + "?locale=" + java.net.URLEncoder.encode("pt' OR '1'='1",
                    java.nio.charset.StandardCharsets.UTF_8), platform, null);
            assertThat(refused.text("type")).endsWith("/suspicious-input");
        }
        String slug = ApiClient.uniqueSlug("audit-denied");
        UUID workspace = api.workspace(platform, slug);
        api.user(platform, workspace, "agente@audit.example", "AGENT", "Senha-Forte-2026!");
        String agent = api.tokens(slug, "agente@audit.example", "Senha-Forte-2026!").access();
        assertThat(api.call("POST", "/api/admin/cache/invalidate", agent, "{}").status()).isEqualTo(403);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(count(env, "request.refused", probe, start)).isEqualTo(3);
            assertThat(count(env, "request.denied", "/api/admin/cache/invalidate", start)).isGreaterThanOrEqualTo(1);
        });
        try (Connection db = env.jdbc(); var read = db.prepareStatement("select outcome, client_ip, request_id, details->>'problem'"
                + " from audit_event where action = 'request.refused' and target = ?")) {
            read.setString(1, probe);
            try (var row = read.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("DENIED");
                assertThat(row.getString(2)).isEqualTo("127.0.0.1");
                assertThat(row.getString(3)).isNotBlank();
                assertThat(row.getString(4)).isEqualTo("suspicious-input");
            }
        }
        // A 403 comes after authentication: who and which workspace are known.
        try (Connection db = env.jdbc(); var read = db.prepareStatement("select workspace_id, actor_id from audit_event"
                + " where action = 'request.denied' and target = '/api/admin/cache/invalidate' order by id desc limit 1")) {
            try (var row = read.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getObject(1)).isEqualTo(workspace);
                assertThat(row.getObject(2)).isNotNull();
            }
        }
    }

    @Test
    void deletingTheNewestRowsBreaksTheWitnessedHeadAndStopsTheSealerUntilReanchored(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        UUID workspace = api.workspace(platform, ApiClient.uniqueSlug("audit-head"));
        api.user(platform, workspace, "primeira@audit.example", "AGENT", "Senha-Forte-2026!");
        await().atMost(Duration.ofSeconds(20)).until(() -> unsealed(env, workspace) == 0
                && verify(api, platform).path("witnessedSeq").asLong() == tip(env));

        try (Connection db = env.jdbc(); var delete = db.createStatement()) {
            delete.executeUpdate("delete from audit_event where seal_seq = (select max(seal_seq) from audit_event)");
        }
        JsonNode report = verify(api, platform);
        assertThat(report.path("intact").asBoolean()).isFalse();
        assertThat(report.path("headProblem").asText()).contains("newest rows were deleted");

        // The sealer does not extend a chain that disagrees with its witness: new rows stay unsealed.
        api.user(platform, workspace, "segunda@audit.example", "AGENT", "Senha-Forte-2026!");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> unsealed(env, workspace) == 1);

        // After investigating, the operator re-anchors the witness to the chain as it is; sealing resumes.
        try (Connection db = env.jdbc(); var head = db.createStatement();
             var row = head.executeQuery("select seal_seq, hmac from audit_event order by seal_seq desc nulls last limit 1")) {
            row.next();
            env.redisHash("audit:chain-head").putAll(java.util.Map.of("seq", row.getString(1), "hmac", row.getString(2)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> unsealed(env, workspace) == 0);
        assertThat(verify(api, platform).path("headProblem").isNull()).isTrue();
    }

    private static long unsealed(Environment env, UUID workspace) throws Exception {
        try (Connection db = env.jdbc(); var read = db.prepareStatement(
                "select count(*) from audit_event where workspace_id = ? and hmac is null")) {
            read.setObject(1, workspace);
            try (var row = read.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long tip(Environment env) throws Exception {
        try (Connection db = env.jdbc(); var read = db.createStatement();
             var row = read.executeQuery("select coalesce(max(seal_seq), 0) from audit_event")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Refusals of {@code action} at {@code target} since {@code since}, adding up the groups' counts. */
    private static long count(Environment env, String action, String target, java.sql.Timestamp since) throws Exception {
        try (Connection db = env.jdbc(); var read = db.prepareStatement("select coalesce(sum((details->>'count')::int), 0)"
                + " from audit_event where action = ? and target = ? and occurred_at >= ?")) {
            read.setString(1, action);
            read.setString(2, target);
            read.setTimestamp(3, since);
            try (var row = read.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
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
