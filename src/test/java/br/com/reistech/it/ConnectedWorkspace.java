package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import br.com.reistech.it.ApiClient.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh workspace open around the clock, with an administrator and a WhatsApp number whose Graph
 * API is the environment's WireMock: what the WhatsApp and queue tests start from.
 */
final class ConnectedWorkspace {

    static final String PASSWORD = "Senha-Forte-2026!";
    static final String APP_SECRET = "app-secret-0123456789abcdef";
    static final String VERIFY_TOKEN = "verify-token-0123456789";
    static final String ACCESS_TOKEN = "EAAG-test-token-0123456789";
    static final Duration WAIT = Duration.ofSeconds(30);

    final Environment env;
    final ApiClient api;
    final String platform;
    final String slug;
    final UUID workspace;
    final String admin;
    final String phoneNumberId;

    ConnectedWorkspace(Environment env, int agentCapacity) throws Exception {
        this.env = env;
        this.api = env.api();
        this.platform = env.platformToken();
        this.slug = ApiClient.uniqueSlug("wa");
        this.workspace = api.workspace(platform, slug);
        ObjectNode always = JSON.createObjectNode();
        for (String day : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")) {
            always.putArray(day).addObject().put("open", "00:00").put("close", "24:00");
        }
        ObjectNode settings = (ObjectNode) api.call("GET", "/api/workspaces/" + workspace, platform, null).body().path("settings");
        ((ObjectNode) settings.path("businessHours")).set("week", always);
        settings.putObject("queue").put("agentCapacity", agentCapacity);
        assertThat(api.call("PUT", "/api/workspaces/" + workspace, platform, JSON.createObjectNode().put("slug", slug)
                .put("name", "Loja Teste").set("settings", settings)).status()).isEqualTo(200);
        api.user(platform, workspace, "admin@wa.example", "ADMIN", PASSWORD);
        this.admin = api.tokens(slug, "admin@wa.example", PASSWORD).access();
        this.phoneNumberId = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L));
        Reply account = api.call("POST", "/api/whatsapp/accounts", admin, JSON.createObjectNode()
                .put("phoneNumberId", phoneNumberId).put("accessToken", ACCESS_TOKEN)
                .put("appSecret", APP_SECRET).put("verifyToken", VERIFY_TOKEN));
        assertThat(account.status()).isEqualTo(201);
        assertThat(account.raw().body()).doesNotContain(APP_SECRET, ACCESS_TOKEN);
        env.graph.stubFor(post(urlEqualTo(messagesPath())).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue type='UUID'}}\"}]}")));
    }

    /** Replaces the workspace's queue settings. */
    void queueSettings(ObjectNode queue) throws Exception {
        ObjectNode settings = (ObjectNode) api.call("GET", "/api/workspaces/" + workspace, platform, null).body().path("settings");
        settings.set("queue", queue);
        assertThat(api.call("PUT", "/api/workspaces/" + workspace, platform, JSON.createObjectNode().put("slug", slug)
                .put("name", "Loja Teste").set("settings", settings)).status()).isEqualTo(200);
    }

    String messagesPath() {
        return "/v21.0/" + phoneNumberId + "/messages";
    }

    /** A user of the workspace with this role; returns its id. */
    UUID user(String email, String role) throws Exception {
        return api.user(platform, workspace, email, role, PASSWORD);
    }

    String token(String email) throws Exception {
        return api.tokens(slug, email, PASSWORD).access();
    }

    HttpResponse<String> deliver(byte[] raw, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(env.tomcat.uri("/api/whatsapp/webhook"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(raw));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return env.tomcat.send(request.build());
    }

    /** A customer's text message, delivered by "Meta" with a valid signature. */
    void send(String from, String name, String text) throws Exception {
        byte[] raw = Meta.textMessage(phoneNumberId, from, name, Meta.wamid(), text).getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(200);
    }

    /** A customer who asked for a person: returns the id of the queued conversation. */
    UUID queuedConversation(String from) throws Exception {
        send(from, "Cliente " + from.substring(from.length() - 4), "oi");
        awaitReplies(from, 2);
        send(from, "Cliente", "quero um atendente");
        await().atMost(WAIT).until(() -> "QUEUED".equals(query("""
                select v.status from conversation v join customer c on c.id = v.customer_id
                where c.wa_id = ? and v.workspace_id = '%s' order by v.created_at desc limit 1""".formatted(workspace), from)));
        // The hand-off reply has gone out too, so a caller counting replies from here counts only new ones.
        await().atMost(WAIT).until(() -> "0".equals(query("""
                select count(*)::text from message m join customer c on c.id = m.customer_id
                where c.wa_id = ? and c.workspace_id = '%s' and m.direction = 'OUT' and m.status = 'pending'"""
                .formatted(workspace), from)));
        return UUID.fromString(query("""
                select v.id::text from conversation v join customer c on c.id = v.customer_id
                where c.wa_id = ? and v.workspace_id = '%s' and v.status = 'QUEUED'""".formatted(workspace), from));
    }

    List<String> awaitReplies(String to, int count) throws Exception {
        await().atMost(WAIT).until(() -> replies(to).size() >= count);
        return replies(to);
    }

    /** Text bodies the application posted to the fake Graph API for this recipient, in order. */
    List<String> replies(String to) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (var request : env.graph.findAll(postRequestedFor(urlEqualTo(messagesPath()))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN)))) {
            JsonNode sent = JSON.readTree(request.getBodyAsString());
            if (to.equals(sent.path("to").asText()) && "text".equals(sent.path("type").asText())) {
                bodies.add(sent.at("/text/body").asText());
            }
        }
        return bodies;
    }

    int graphCalls() {
        return env.graph.findAll(postRequestedFor(urlEqualTo(messagesPath()))).size();
    }

    /** The first column of the first row, every {@code ?} bound to {@code parameter}. */
    String query(String sql, String parameter) throws Exception {
        List<String> values = queryList(sql, parameter);
        return values.isEmpty() ? null : values.get(0);
    }

    List<String> queryList(String sql, String parameter) throws Exception {
        try (Connection db = env.jdbc(); var query = db.prepareStatement(sql)) {
            int count = sql.length() - sql.replace("?", "").length();
            for (int i = 1; i <= count; i++) {
                query.setString(i, parameter);
            }
            List<String> values = new ArrayList<>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
