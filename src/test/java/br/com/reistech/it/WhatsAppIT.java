package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import br.com.reistech.it.ApiClient.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WhatsApp channel end to end: Meta's webhooks in (signed), the bot's replies out to a WireMock
 * standing in for the Graph API, agents' messages with their error mapping and idempotency.
 */
@ExtendWith(Environment.Extension.class)
class WhatsAppIT {

    private static final String APP_SECRET = ConnectedWorkspace.APP_SECRET;
    private static final String VERIFY_TOKEN = ConnectedWorkspace.VERIFY_TOKEN;
    private static final String PASSWORD = ConnectedWorkspace.PASSWORD;
    private static final Duration WAIT = ConnectedWorkspace.WAIT;

    private Environment env;
    private ConnectedWorkspace store;
    private ApiClient api;
    private String admin;
    private UUID workspace;
    private String phoneNumberId;

    @BeforeEach
    void connectedWorkspace(Environment env) throws Exception {
        this.env = env;
        this.store = new ConnectedWorkspace(env, 5);
        this.api = store.api;
        this.admin = store.admin;
        this.workspace = store.workspace;
        this.phoneNumberId = store.phoneNumberId;
    }

    private String messagesPath() {
        return store.messagesPath();
    }

    @Test
    void handshakeEchoesTheChallengeOnlyForAKnownVerifyToken() throws Exception {
        HttpResponse<String> ok = env.tomcat.get("/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token="
                + VERIFY_TOKEN + "&hub.challenge=1158201444");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(env.tomcat.get("/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void signatureIsCheckedOverTheRawBytesIncludingAccentsAndEmoji() throws Exception {
        String payload = Meta.textMessage(phoneNumberId, "5511988887777", "José Ção 😀", Meta.wamid(), "olá! ação 🎉📱");
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        long before = inboxCount();
        assertThat(deliver(raw, null).statusCode()).isEqualTo(401);
        assertThat(deliver(raw, Meta.sign(raw, "another-secret")).statusCode()).isEqualTo(401);
        String reencoded = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(deliver(reencoded.getBytes(StandardCharsets.UTF_8), Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(401);
        assertThat(inboxCount()).isEqualTo(before);

        assertThat(deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> inboundBodies("5511988887777").contains("olá! ação 🎉📱"));
        assertThat(customerName("5511988887777")).isEqualTo("José Ção 😀");
    }

    @Test
    void greetingGetsTheWorkspacesConfiguredReply() throws Exception {
        assertThat(api.call("PUT", "/api/cms/texts/bot.greeting", admin, JSON.createObjectNode()
                .put("content", "Oi{nome}, aqui é a {loja}! 📱")).status()).isEqualTo(200);
        send("5511977776666", "Ana", "oi");
        List<String> replies = awaitReplies("5511977776666", 2);
        assertThat(replies.get(0)).isEqualTo("Oi, Ana, aqui é a Loja Teste! 📱");
        assertThat(replies.get(1)).contains("1 - Ver produtos");
    }

    @Test
    void aCatalogSearchAnswersFromTheCatalog() throws Exception {
        assertThat(api.call("POST", "/api/catalog/items", admin, JSON.createObjectNode().put("sku", "SM-S24")
                .put("name", "Galaxy S24 Ultra").put("description", "256 GB, titânio").put("price", 6999.90)
                .put("stock", 4)).status()).isEqualTo(201);
        send("5511955554444", "Bruno", "oi");
        awaitReplies("5511955554444", 2);
        send("5511955554444", "Bruno", "1");
        awaitReplies("5511955554444", 3);
        send("5511955554444", "Bruno", "galaxy titânio");
        List<String> replies = awaitReplies("5511955554444", 4);
        assertThat(replies.get(3)).contains("1 - Galaxy S24 Ultra (R$ 6.999,90)");
        send("5511955554444", "Bruno", "1");
        assertThat(awaitReplies("5511955554444", 5).get(4)).contains("Galaxy S24 Ultra", "6.999,90", "Estoque: 4");
    }

    @Test
    void askingForAPersonQueuesTheConversationAndSilencesTheBot() throws Exception {
        send("5511944443333", "Caio", "oi");
        awaitReplies("5511944443333", 2);
        send("5511944443333", "Caio", "quero falar com um atendente");
        assertThat(awaitReplies("5511944443333", 3).get(2)).contains("atendente");
        await().atMost(WAIT).until(() -> "QUEUED".equals(conversationStatus("5511944443333")));
        send("5511944443333", "Caio", "alguém aí?");
        await().atMost(WAIT).until(() -> unprocessed("5511944443333") == 0 && inboundBodies("5511944443333").size() == 3);
        assertThat(replies("5511944443333")).hasSize(3);
    }

    @Test
    void aDuplicateDeliveryIsProcessedOnce() throws Exception {
        String payload = Meta.textMessage(phoneNumberId, "5511933332222", "Duda", Meta.wamid(), "oi");
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(200);
        assertThat(deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(200);
        awaitReplies("5511933332222", 2);
        await().atMost(WAIT).until(() -> processedInbox(payload) == 2);
        assertThat(inboundBodies("5511933332222")).containsExactly("oi");
        assertThat(replies("5511933332222")).hasSize(2);
    }

    @Test
    void fiftyMessagesFiredAtOnceAreHandledOneAtATimeInArrivalOrderExactlyOnce() throws Exception {
        String from = "5511922221111";
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                String payload = Meta.textMessage(phoneNumberId, from, "Eva", Meta.wamid(), "mensagem " + i);
                byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
                sent.add(pool.submit(() -> deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()));
            }
            for (Future<Integer> status : sent) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> unprocessed(from) == 0 && inboundBodies(from).size() == 50);
        try (Connection db = env.jdbc(); var query = db.prepareStatement("""
                select m.processed_seq from message m join customer c on c.id = m.customer_id
                where c.wa_id = ? and m.direction = 'IN' and c.workspace_id = '%s' order by m.id""".formatted(workspace))) {
            query.setString(1, from);
            List<Long> sequence = new ArrayList<>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    sequence.add(rows.getLong(1));
                }
            }
            assertThat(sequence).hasSize(50).doesNotHaveDuplicates().isSorted();
            assertThat(sequence.get(49) - sequence.get(0)).isEqualTo(49);
        }
        // The replies leave in the order the bot wrote them, each once: one sender at a time claims the oldest.
        await().atMost(Duration.ofSeconds(60)).until(() -> replySentTimes(from).stream().noneMatch(Objects::isNull));
        List<Long> sentAt = replySentTimes(from);
        assertThat(sentAt).hasSizeGreaterThanOrEqualTo(50).isSorted();
        // What Meta received, in the order it received it, is what the bot wrote, in the order written.
        assertThat(replies(from)).containsExactlyElementsOf(queryList("""
                select m.body from message m join customer c on c.id = m.customer_id
                where c.wa_id = ? and m.direction = 'OUT' and c.workspace_id = '%s' order by m.id""".formatted(workspace), from));
    }

    /** When each reply to this customer was marked sent (microseconds; null while pending), in the order written. */
    private List<Long> replySentTimes(String from) throws Exception {
        return queryList("""
                select (extract(epoch from m.sent_at) * 1000000)::bigint::text from message m
                join customer c on c.id = m.customer_id
                where c.wa_id = ? and m.direction = 'OUT' and c.workspace_id = '%s' order by m.id""".formatted(workspace), from)
                .stream().map(t -> t == null ? null : Long.valueOf(t)).toList();
    }

    @Test
    void aReplyClaimedAfterTheCustomerChangedNumberGoesToTheNewNumber() throws Exception {
        String oldNumber = "5511922221111";
        String newNumber = "5511922229999";
        // The fake Meta takes 3 s to answer a send to the old number: the number changes meanwhile,
        // between the bot's two replies to "oi".
        env.graph.stubFor(post(urlEqualTo(messagesPath())).atPriority(5)
                .withRequestBody(matchingJsonPath("$.to", equalTo(oldNumber)))
                .willReturn(aResponse().withStatus(200).withFixedDelay(3000).withHeader("Content-Type", "application/json")
                        .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"" + Meta.wamid() + "\"}]}")));
        send(oldNumber, "Eva", "oi");
        await().atMost(WAIT).until(() -> replies(oldNumber).size() == 1);
        byte[] change = Meta.numberChanged(phoneNumberId, oldNumber, newNumber).getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(change, Meta.sign(change, APP_SECRET)).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> customerName(newNumber) != null);

        List<String> toNewNumber = awaitReplies(newNumber, 1);
        assertThat(replies(oldNumber)).hasSize(1).allMatch(greeting -> greeting.startsWith("Olá"));
        assertThat(toNewNumber).singleElement().satisfies(menu -> assertThat(menu).contains("1 - Ver produtos"));
    }

    @Test
    void statusesArrivingOutOfOrderEndInTheFurthestState() throws Exception {
        String customer = customerWithRecentMessage("5511911110000");
        Reply sent = api.call("POST", "/api/whatsapp/send", admin, JSON.createObjectNode()
                .put("customerId", customer).put("type", "text").put("text", "Seu pedido chegou!"));
        assertThat(sent.status()).isEqualTo(201);
        String wamid = sent.text("wamid");
        assertThat(wamid).startsWith("wamid.");
        for (String status : List.of("read", "sent", "delivered")) {
            byte[] raw = Meta.status(phoneNumberId, wamid, status, null).getBytes(StandardCharsets.UTF_8);
            assertThat(deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(200);
        }
        await().atMost(WAIT).until(() -> pendingInbox() == 0);
        assertThat(messageStatus(wamid)).isEqualTo("read");
    }

    @Test
    void outOfWindowFreeTextIsRefusedWithAClearProblemButATemplateGoesOut() throws Exception {
        String customer = customerWithRecentMessage("5511900009999");
        try (Connection db = env.jdbc(); var update = db.prepareStatement(
                "update customer set last_inbound_at = now() - interval '25 hours' where id = ?")) {
            update.setObject(1, UUID.fromString(customer));
            update.executeUpdate();
        }
        // Written behind the application's back: its cached copy of the customer is dropped by hand.
        assertThat(api.call("POST", "/api/admin/cache/invalidate", admin, JSON.createObjectNode()
                .put("kind", "customer_data").put("key", customer)).status()).isEqualTo(200);
        int before = graphCalls();
        Reply text = api.call("POST", "/api/whatsapp/send", admin, JSON.createObjectNode()
                .put("customerId", customer).put("type", "text").put("text", "Oi de novo"));
        assertThat(text.status()).isEqualTo(422);
        assertThat(text.text("type")).endsWith("/whatsapp-window-closed");
        assertThat(graphCalls()).isEqualTo(before);

        ObjectNode template = JSON.createObjectNode().put("customerId", customer).put("type", "template");
        template.putObject("template").put("name", "pedido_pronto").put("language", "pt_BR");
        assertThat(api.call("POST", "/api/whatsapp/send", admin, template).status()).isEqualTo(201);
        JsonNode sentTemplate = JSON.readTree(env.graph.findAll(postRequestedFor(urlEqualTo(messagesPath()))).get(before).getBodyAsString());
        assertThat(sentTemplate.path("type").asText()).isEqualTo("template");
        assertThat(sentTemplate.at("/template/language/code").asText()).isEqualTo("pt_BR");
        assertThat(sentTemplate.path("messaging_product").asText()).isEqualTo("whatsapp");
    }

    @Test
    void mediaGoesOutByLinkInMetasShape() throws Exception {
        String customer = customerWithRecentMessage("5511900004444");
        int before = graphCalls();
        ObjectNode request = JSON.createObjectNode().put("customerId", customer).put("type", "image");
        request.putObject("media").put("link", "https://cdn.loja.example/s24.jpg").put("caption", "Galaxy S24");
        assertThat(api.call("POST", "/api/whatsapp/send", admin, request).status()).isEqualTo(201);
        JsonNode sent = JSON.readTree(env.graph.findAll(postRequestedFor(urlEqualTo(messagesPath()))).get(before).getBodyAsString());
        assertThat(sent.path("type").asText()).isEqualTo("image");
        assertThat(sent.at("/image/link").asText()).isEqualTo("https://cdn.loja.example/s24.jpg");
        assertThat(sent.at("/image/caption").asText()).isEqualTo("Galaxy S24");
        request.putObject("media").put("link", "https://x.example/a.jpg").put("id", "123");
        assertThat(api.call("POST", "/api/whatsapp/send", admin, request).status()).isEqualTo(400);
    }

    @Test
    void aFailedStatusRecordsMetasErrorCode() throws Exception {
        String customer = customerWithRecentMessage("5511900003333");
        Reply sent = api.call("POST", "/api/whatsapp/send", admin, JSON.createObjectNode()
                .put("customerId", customer).put("type", "text").put("text", "vai falhar"));
        String wamid = sent.text("wamid");
        byte[] raw = Meta.status(phoneNumberId, wamid, "failed", 131026).getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "failed".equals(messageStatus(wamid)));
        raw = Meta.status(phoneNumberId, wamid, "delivered", null).getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(raw, Meta.sign(raw, APP_SECRET)).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> pendingInbox() == 0);
        assertThat(lastOutbound(customer)).isEqualTo("failed:131026");
    }

    @Test
    void metaErrorsAreMappedToProblemsAndTheMessageIsMarkedFailed() throws Exception {
        String customer = customerWithRecentMessage("5511900008888");
        env.graph.stubFor(post(urlEqualTo(messagesPath())).atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("fora da janela"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,
                         "error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed"},
                         "fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}""")));
        Reply reply = api.call("POST", "/api/whatsapp/send", admin, JSON.createObjectNode()
                .put("customerId", customer).put("type", "text").put("text", "fora da janela"));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.text("type")).endsWith("/whatsapp-window-closed");
        assertThat(reply.text("detail")).contains("131047");
        assertThat(lastOutbound(customer)).isEqualTo("failed:131047");
    }

    @Test
    void serverErrorsAreRetriedAndTheMessageIsSentOnce() throws Exception {
        String customer = customerWithRecentMessage("5511900007777");
        String scenario = "flaky-" + phoneNumberId;
        env.graph.stubFor(post(urlEqualTo(messagesPath())).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503)));
        env.graph.stubFor(post(urlEqualTo(messagesPath())).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs("recovered").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.retried1\"}]}")));
        int before = graphCalls();
        Reply reply = api.call("POST", "/api/whatsapp/send", admin, JSON.createObjectNode()
                .put("customerId", customer).put("type", "text").put("text", "tentando"));
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.text("wamid")).isEqualTo("wamid.retried1");
        assertThat(graphCalls() - before).isEqualTo(2);
    }

    @Test
    void anIdempotencyKeyRepeatsTheFirstAnswerAndSendsOnce() throws Exception {
        String customer = customerWithRecentMessage("5511900006666");
        ObjectNode body = JSON.createObjectNode().put("customerId", customer).put("type", "text").put("text", "uma vez só");
        String key = "pedido-" + UUID.randomUUID();
        int before = graphCalls();
        HttpResponse<String> first = sendWithKey(body, key);
        HttpResponse<String> second = sendWithKey(body, key);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(graphCalls() - before).isEqualTo(1);
        HttpResponse<String> other = sendWithKey(body.put("text", "outra coisa"), key);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(other.body()).path("type").asText()).endsWith("/idempotency-key-reused");
    }

    @Test
    void anotherWorkspacesCustomerCannotBeMessaged() throws Exception {
        String customer = customerWithRecentMessage("5511900005555");
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("wa-other");
        UUID other = api.workspace(platform, slug);
        api.user(platform, other, "agente@outra.example", "AGENT", PASSWORD);
        String agent = api.tokens(slug, "agente@outra.example", PASSWORD).access();
        Reply reply = api.call("POST", "/api/whatsapp/send", agent, JSON.createObjectNode()
                .put("customerId", customer).put("type", "text").put("text", "olá"));
        assertThat(reply.status()).isEqualTo(404);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private HttpResponse<String> sendWithKey(ObjectNode body, String key) throws Exception {
        return env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/api/whatsapp/send"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private HttpResponse<String> deliver(byte[] raw, String signature) throws Exception {
        return store.deliver(raw, signature);
    }

    private void send(String from, String name, String text) throws Exception {
        store.send(from, name, text);
    }

    /** A customer who wrote a moment ago (the bot has answered), returned by id. */
    private String customerWithRecentMessage(String from) throws Exception {
        send(from, "Cliente", "oi");
        awaitReplies(from, 2);
        return querySingle("select id::text from customer where wa_id = ? and workspace_id = '" + workspace + "'", from);
    }

    private List<String> awaitReplies(String to, int count) throws Exception {
        return store.awaitReplies(to, count);
    }

    private List<String> replies(String to) throws Exception {
        return store.replies(to);
    }

    private int graphCalls() {
        return store.graphCalls();
    }

    private List<String> inboundBodies(String from) throws Exception {
        return queryList("""
                select m.body from message m join customer c on c.id = m.customer_id
                where c.wa_id = ? and m.direction = 'IN' and c.workspace_id = '%s' order by m.id""".formatted(workspace), from);
    }

    private long unprocessed(String from) throws Exception {
        return Long.parseLong(querySingle("""
                select count(*)::text from message m join customer c on c.id = m.customer_id
                where c.wa_id = ? and m.direction = 'IN' and m.processed_at is null and c.workspace_id = '%s'""".formatted(workspace), from));
    }

    private String conversationStatus(String from) throws Exception {
        return querySingle("""
                select v.status from conversation v join customer c on c.id = v.customer_id
                where c.wa_id = ? and c.workspace_id = '%s' order by v.created_at desc limit 1""".formatted(workspace), from);
    }

    private String customerName(String from) throws Exception {
        return querySingle("select name from customer where wa_id = ? and workspace_id = '%s'".formatted(workspace), from);
    }

    private String messageStatus(String wamid) throws Exception {
        return querySingle("select status from message where wamid = ?", wamid);
    }

    private String lastOutbound(String customerId) throws Exception {
        return querySingle("select status || ':' || coalesce(error_code::text, '') from message "
                + "where customer_id = ?::uuid and direction = 'OUT' order by id desc limit 1", customerId);
    }

    private long inboxCount() throws Exception {
        return Long.parseLong(querySingle("select count(*)::text from webhook_inbox where ? = ?", "1"));
    }

    private long pendingInbox() throws Exception {
        return Long.parseLong(querySingle("select count(*)::text from webhook_inbox where processed_at is null and ? = ?", "1"));
    }

    private long processedInbox(String payload) throws Exception {
        return Long.parseLong(querySingle("select count(*)::text from webhook_inbox where payload = ? and processed_at is not null", payload));
    }

    private String querySingle(String sql, String parameter) throws Exception {
        return store.query(sql, parameter);
    }

    private List<String> queryList(String sql, String parameter) throws Exception {
        return store.queryList(sql, parameter);
    }
}
