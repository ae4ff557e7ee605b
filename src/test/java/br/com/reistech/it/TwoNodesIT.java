package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.it.ApiClient.Reply;
import br.com.reistech.web.DiagnosticsResource;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Tomcat nodes sharing PostgreSQL and Redis: the shared environment's Tomcat (node A) and a
 * second Tomcat process started here (node B). Takes race across both; live events raised on one
 * node reach consoles connected to the other; a reconnecting console gets what it missed.
 */
@ExtendWith(Environment.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Environment env;
    private TomcatServer nodeB;

    @BeforeAll
    void startSecondNode(Environment env) throws Exception {
        this.env = env;
        nodeB = TomcatServer.start(Path.of(System.getProperty("it.tomcat10.home")), env.workDir.resolve("node-b"),
                env.war, env.appConfig("node-b", Map.of()));
    }

    @AfterAll
    void stopSecondNode() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void twentyAgentsSplitAcrossBothNodesTakeTheSameConversationAndExactlyOneWins() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID conversation = store.queuedConversation("5511920000001");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            store.user("no" + i + "@dois.example", "AGENT");
            tokens.add(store.token("no" + i + "@dois.example"));
        }
        ApiClient onA = new ApiClient(env.tomcat);
        ApiClient onB = new ApiClient(nodeB);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Reply>> takes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ApiClient node = i % 2 == 0 ? onA : onB;
                String token = tokens.get(i);
                takes.add(pool.submit(() -> {
                    start.await();
                    return node.call("POST", "/api/queue/" + conversation + "/take", token, null);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Reply> take : takes) {
                statuses.add(take.get().status());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
            assertThat(store.query("select count(*)::text from conversation where id = ?::uuid and status = 'ACTIVE' "
                    + "and assigned_agent_id is not null", conversation.toString())).isEqualTo("1");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoHundredConcurrentReadsOfOneColdKeyAcrossBothNodesLoadItOnce() throws Exception {
        String key = "cold-" + UUID.randomUUID();
        String path = "/api/diagnostics/cache/catalog_item/" + key;
        ApiClient onA = new ApiClient(env.tomcat);
        ApiClient onB = new ApiClient(nodeB);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Reply>> reads = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ApiClient node = i % 2 == 0 ? onA : onB;
                reads.add(pool.submit(() -> {
                    start.await();
                    return node.call("POST", path, null, null);
                }));
            }
            start.countDown();
            List<String> values = new ArrayList<>();
            for (Future<Reply> read : reads) {
                Reply reply = read.get();
                assertThat(reply.status()).isEqualTo(200);
                values.add(reply.text("value"));
            }
            assertThat(values).hasSize(200).containsOnly(values.get(0));
            int loads = onA.call("GET", path + "/loads", null, null).body().path("loads").asInt()
                    + onB.call("GET", path + "/loads", null, null).body().path("loads").asInt();
            System.out.printf("200 concurrent reads of one cold key on two nodes: %d database load(s)%n", loads);
            assertThat(loads).isEqualTo(1);
            // No node keeps the loading lock after its read (a kept one makes every later miss wait).
            String lock = "cache-lock:" + CacheService.name(CacheKind.CATALOG_ITEM, DiagnosticsResource.WORKSPACE, key);
            await().atMost(Duration.ofSeconds(5)).until(() -> env.redisTtl(lock) == -2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTextEditedOnNodeAIsWhatNodeBReadsNext() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        ApiClient onB = new ApiClient(nodeB);
        String path = "/api/cms/texts/bot.menu";
        assertThat(store.api.call("PUT", path, store.admin, ApiClient.JSON.createObjectNode().put("content", "Menu antigo"))
                .status()).isEqualTo(200);
        // Node B reads it twice: the second read comes from its own memory.
        assertThat(onB.call("GET", path, store.admin, null).text("content")).isEqualTo("Menu antigo");
        assertThat(onB.call("GET", path, store.admin, null).text("content")).isEqualTo("Menu antigo");
        long nearHits = onB.call("GET", "/api/admin/cache/metrics", store.admin, null).body().at("/kinds/cms_text/nearHits").asLong();
        assertThat(nearHits).isPositive();

        assertThat(store.api.call("PUT", path, store.admin, ApiClient.JSON.createObjectNode().put("content", "Menu novo"))
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "Menu novo".equals(onB.call("GET", path, store.admin, null).text("content")));
    }

    @Test
    void aNumberConnectedOnNodeAIsServedByNodeBAtOnce() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        // Node B now holds the accounts in memory, the store's number among them.
        assertThat(deliverTo(nodeB, store.phoneNumberId, ConnectedWorkspace.APP_SECRET, Meta.wamid())).isEqualTo(200);

        String number = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L));
        String secret = "another-app-secret-" + UUID.randomUUID();
        assertThat(store.api.call("POST", "/api/whatsapp/accounts", store.admin, ApiClient.JSON.createObjectNode()
                .put("phoneNumberId", number).put("accessToken", ConnectedWorkspace.ACCESS_TOKEN)
                .put("appSecret", secret).put("verifyToken", ConnectedWorkspace.VERIFY_TOKEN)).status()).isEqualTo(201);

        // Signed by the new number's app secret, sent to node B well within its accounts' ten seconds in
        // memory (a miss reloads them, at most every 100 ms; Meta would retry a refused delivery too).
        String wamid = Meta.wamid();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> deliverTo(nodeB, number, secret, wamid) == 200);
        await().atMost(WAIT).until(() -> store.workspace.toString().equals(
                store.query("select workspace_id::text from message where wamid = ?", wamid)));
    }

    private static int deliverTo(TomcatServer node, String phoneNumberId, String appSecret, String wamid) throws Exception {
        byte[] raw = Meta.textMessage(phoneNumberId, "5511920000077", "Nina", wamid, "oi").getBytes(StandardCharsets.UTF_8);
        return node.send(HttpRequest.newBuilder(node.uri("/api/whatsapp/webhook")).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Meta.sign(raw, appSecret))
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build()).statusCode();
    }

    @Test
    void anInboundMessageOnNodeAReachesAConsoleOnNodeB() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.user("chefe@dois.example", "SUPERVISOR");
        try (EventClient console = EventClient.connect(nodeB, store.token("chefe@dois.example"), 0)) {
            long sent = System.nanoTime();
            store.send("5511920000002", "Gil", "oi");
            await().atMost(WAIT).until(() -> console.types().contains("message"));
            long latencyMs = (console.receivedAtNanos.get(0) - sent) / 1_000_000;
            System.out.printf("Webhook on node A to WebSocket on node B: %d ms%n", latencyMs);
            assertThat(console.events.get(0).path("workspaceId").asText()).isEqualTo(store.workspace.toString());
        }
    }

    @Test
    void aConsoleThatMissedFiveEventsGetsThemInOrderOnReconnect() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.user("sup@dois.example", "SUPERVISOR");
        String token = store.token("sup@dois.example");
        long last;
        try (EventClient console = EventClient.connect(env.tomcat, token, 0)) {
            store.send("5511920000010", "Um", "oi");
            await().atMost(WAIT).until(() -> console.events.size() == 1);
            last = console.lastSeq();
        }
        for (int i = 1; i <= 5; i++) {
            store.send("551192000001" + i, "Cliente " + i, "oi");
        }
        await().atMost(WAIT).until(() -> store.query(
                "select count(*)::text from message where workspace_id = ?::uuid and direction = 'IN'",
                store.workspace.toString()).equals("6"));
        try (EventClient console = EventClient.connect(nodeB, token, last)) {
            await().atMost(WAIT).until(() -> console.events.size() >= 5);
            List<Long> seqs = console.events.stream().map(e -> e.path("seq").asLong()).toList();
            assertThat(seqs).containsExactly(last + 1, last + 2, last + 3, last + 4, last + 5);
            assertThat(console.types()).containsOnly("message");
        }
    }

    @Test
    void anEventCommittedByANodeThatDiedBeforePublishingItStillReachesTheConsoles() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.user("vigia@dois.example", "SUPERVISOR");
        String workspace = store.workspace.toString();
        store.send("5511920000030", "Dora", "oi");
        await().atMost(WAIT).until(() -> store.query(
                "select count(*)::text from message where workspace_id = ?::uuid and direction = 'IN'", workspace).equals("1"));
        // The event of a normal commit is published at once, and its outbox row deleted.
        await().atMost(WAIT).until(() -> store.query(
                "select count(*)::text from event_outbox where workspace_id = ?::uuid", workspace).equals("0"));
        String conversation = store.query("select id::text from conversation where workspace_id = ?::uuid", workspace);
        try (EventClient console = EventClient.connect(nodeB, store.token("vigia@dois.example"), 0)) {
            // What nodes killed right after their commits leave behind: changes and their unpublished
            // events; the first of them had been published already (Redis remembers that).
            String published = store.query(orphan("transferred"), workspace);
            env.redisString("realtime:outbox:{" + workspace + "}:" + published).set("1");
            store.query(orphan("closed"), workspace);
            // Only now are they old enough for the sweep.
            store.query("update event_outbox set created_at = now() - interval '10 seconds' where workspace_id = ?::uuid"
                    + " returning id::text", workspace);
            await().atMost(WAIT).until(() -> console.events.stream().anyMatch(e ->
                    e.path("type").asText().equals("closed") && e.path("conversationId").asText().equals(conversation)));
            await().atMost(WAIT).until(() -> store.query(
                    "select count(*)::text from event_outbox where workspace_id = ?::uuid", workspace).equals("0"));
            assertThat(console.types()).doesNotContain("transferred");
        }
    }

    /** An insert of an outbox row of {@code kind} for the workspace's conversation, returning its id. */
    private static String orphan(String kind) {
        return "insert into event_outbox (workspace_id, conversation_id, kind) select workspace_id, id, '" + kind
                + "' from conversation where workspace_id = ?::uuid returning id::text";
    }

    @Test
    void aConsoleNeverReceivesAnotherWorkspacesEvents() throws Exception {
        ConnectedWorkspace a = new ConnectedWorkspace(env, 5);
        ConnectedWorkspace b = new ConnectedWorkspace(env, 5);
        a.user("sup@a.example", "SUPERVISOR");
        b.user("sup@b.example", "SUPERVISOR");
        try (EventClient consoleA = EventClient.connect(nodeB, a.token("sup@a.example"), 0);
             EventClient consoleB = EventClient.connect(nodeB, b.token("sup@b.example"), 0)) {
            a.send("5511920000020", "Ana", "oi");
            await().atMost(WAIT).until(() -> consoleA.events.size() >= 1);
            b.send("5511920000021", "Beto", "oi");
            await().atMost(WAIT).until(() -> consoleB.events.size() >= 1);
            assertThat(consoleA.events).allSatisfy(e -> assertThat(e.path("workspaceId").asText())
                    .isEqualTo(a.workspace.toString()));
            assertThat(consoleB.events).allSatisfy(e -> assertThat(e.path("workspaceId").asText())
                    .isEqualTo(b.workspace.toString()));
        }
    }

    @Test
    void agentsSeeQueueMovementsAndTheHolderIsToldOfATransferAway() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID conversation = store.queuedConversation("5511920000040");
        UUID ana = store.user("ana@mov.example", "AGENT");
        UUID bia = store.user("bia@mov.example", "AGENT");
        store.user("caio@mov.example", "AGENT");
        store.user("sup@mov.example", "SUPERVISOR");
        String supervisor = store.token("sup@mov.example");
        try (EventClient anaConsole = EventClient.connect(env.tomcat, store.token("ana@mov.example"), 0);
             EventClient caioConsole = EventClient.connect(nodeB, store.token("caio@mov.example"), 0)) {
            assertThat(store.api.call("POST", "/api/queue/" + conversation + "/assign", supervisor,
                    ApiClient.JSON.createObjectNode().put("agentId", ana.toString())).status()).isEqualTo(200);
            assertThat(store.api.call("POST", "/api/queue/" + conversation + "/transfer", supervisor,
                    ApiClient.JSON.createObjectNode().put("agentId", bia.toString())).status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> anaConsole.types().contains("transferred"));
            await().atMost(WAIT).until(() -> caioConsole.types().contains("assigned"));
            assertThat(caioConsole.types()).doesNotContain("transferred");
        }
    }

    @Test
    void loggingOutClosesTheConsole() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.user("sai@dois.example", "AGENT");
        String token = store.token("sai@dois.example");
        try (EventClient console = EventClient.connect(nodeB, token, 0)) {
            assertThat(store.api.call("POST", "/api/auth/logout", token, null).status()).isEqualTo(204);
            await().atMost(WAIT).until(() -> console.closeCode == 1008);
        }
    }

    @Test
    void aClientAskingForEventsNoLongerAvailableIsToldToResync() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.user("velho@dois.example", "SUPERVISOR");
        try (EventClient console = EventClient.connect(env.tomcat, store.token("velho@dois.example"), 999_999)) {
            await().atMost(WAIT).until(() -> console.types().contains("resync"));
        }
    }

    @Test
    void aHandshakeWithoutAValidTokenIsRefusedWith401() {
        assertThatThrownBy(() -> EventClient.connect(nodeB, "not-a-token", 0))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));
    }

    @Test
    void agentsSeeTheQueueButNotTheBotsConversations() throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.user("ag@dois.example", "AGENT");
        try (EventClient agent = EventClient.connect(env.tomcat, store.token("ag@dois.example"), 0)) {
            store.send("5511920000030", "Caio", "oi");
            store.queuedConversation("5511920000031");
            await().atMost(WAIT).until(() -> agent.types().contains("queued"));
            assertThat(agent.types()).doesNotContain("message");
        }
    }
}
