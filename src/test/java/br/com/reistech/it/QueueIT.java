package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import br.com.reistech.it.ApiClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The human queue: taking (one winner), capacity, assignment, release, close, replies, history. */
@ExtendWith(Environment.Extension.class)
class QueueIT {

    @Test
    void twentyAgentsTakingTheSameConversationAtOnceLeaveExactlyOneWinner(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID conversation = store.queuedConversation("5511910000001");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            store.user("agente" + i + "@fila.example", "AGENT");
            tokens.add(store.token("agente" + i + "@fila.example"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> takes = new ArrayList<>();
        try {
            for (String token : tokens) {
                takes.add(pool.submit(() -> {
                    start.await();
                    return store.api.call("POST", "/api/queue/" + conversation + "/take", token, null);
                }));
            }
            start.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> take : takes) {
                replies.add(take.get());
            }
            assertThat(replies).filteredOn(r -> r.status() == 200).hasSize(1);
            assertThat(replies).filteredOn(r -> r.status() == 409).hasSize(19)
                    .allSatisfy(r -> assertThat(r.text("type")).endsWith("/conflict"));
            String winner = replies.stream().filter(r -> r.status() == 200).findFirst().orElseThrow()
                    .text("assignedAgentId");
            assertThat(store.query("select assigned_agent_id::text || ':' || status from conversation where id = ?::uuid",
                    conversation.toString())).isEqualTo(winner + ":ACTIVE");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAgentAtCapacityCannotTakeMore(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 1);
        UUID first = store.queuedConversation("5511910000002");
        UUID second = store.queuedConversation("5511910000003");
        store.user("unico@fila.example", "AGENT");
        String agent = store.token("unico@fila.example");
        assertThat(store.api.call("POST", "/api/queue/" + first + "/take", agent, null).status()).isEqualTo(200);
        Reply refused = store.api.call("POST", "/api/queue/" + second + "/take", agent, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("detail")).contains("capacity");
        assertThat(store.api.call("POST", "/api/conversations/" + first + "/close", agent, null).status()).isEqualTo(200);
        assertThat(store.api.call("POST", "/api/queue/" + second + "/take", agent, null).status()).isEqualTo(200);
    }

    @Test
    void queueIsOrderedByWaitAndSupervisorsAssignAndTransfer(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID older = store.queuedConversation("5511910000004");
        UUID newer = store.queuedConversation("5511910000005");
        UUID ana = store.user("ana@fila.example", "AGENT");
        UUID bia = store.user("bia@fila.example", "AGENT");
        store.user("chefe@fila.example", "SUPERVISOR");
        String supervisor = store.token("chefe@fila.example");
        String anaToken = store.token("ana@fila.example");

        Reply queue = store.api.call("GET", "/api/queue", anaToken, null);
        assertThat(queue.body().findValuesAsText("id")).containsExactly(older.toString(), newer.toString());
        assertThat(queue.body().get(0).path("waitSeconds").isIntegralNumber()).isTrue();

        assertThat(store.api.call("POST", "/api/queue/" + older + "/assign", anaToken,
                JSON.createObjectNode().put("agentId", bia.toString())).status()).isEqualTo(403);
        Reply assigned = store.api.call("POST", "/api/queue/" + older + "/assign", supervisor,
                JSON.createObjectNode().put("agentId", ana.toString()));
        assertThat(assigned.status()).isEqualTo(200);
        assertThat(assigned.text("assignedAgentId")).isEqualTo(ana.toString());
        Reply transferred = store.api.call("POST", "/api/queue/" + older + "/transfer", supervisor,
                JSON.createObjectNode().put("agentId", bia.toString()));
        assertThat(transferred.text("assignedAgentId")).isEqualTo(bia.toString());
        assertThat(store.api.call("GET", "/api/conversations/" + older, anaToken, null).status()).isEqualTo(404);
        assertThat(store.api.call("POST", "/api/queue/" + newer + "/assign", supervisor,
                JSON.createObjectNode().put("agentId", UUID.randomUUID().toString())).status()).isEqualTo(404);
    }

    @Test
    void theHolderRepliesThroughWhatsAppAndFirstResponseIsRecorded(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID conversation = store.queuedConversation("5511910000006");
        store.user("caio@fila.example", "AGENT");
        store.user("duda@fila.example", "AGENT");
        String caio = store.token("caio@fila.example");
        String duda = store.token("duda@fila.example");
        assertThat(store.api.call("POST", "/api/conversations/" + conversation + "/messages", caio,
                JSON.createObjectNode().put("type", "text").put("text", "antes de pegar")).status()).isEqualTo(409);
        assertThat(store.api.call("POST", "/api/queue/" + conversation + "/take", caio, null).status()).isEqualTo(200);
        assertThat(store.api.call("POST", "/api/conversations/" + conversation + "/messages", duda,
                JSON.createObjectNode().put("type", "text").put("text", "não é minha")).status()).isEqualTo(404);

        Reply reply = store.api.call("POST", "/api/conversations/" + conversation + "/messages", caio,
                JSON.createObjectNode().put("type", "text").put("text", "Olá! Sou o Caio, como posso ajudar?"));
        assertThat(reply.status()).isEqualTo(201);
        assertThat(store.replies("5511910000006")).contains("Olá! Sou o Caio, como posso ajudar?");
        Reply view = store.api.call("GET", "/api/conversations/" + conversation, caio, null);
        assertThat(view.body().path("firstResponseAt").isNull()).isFalse();
        assertThat(view.body().path("firstResponseSeconds").isIntegralNumber()).isTrue();

        assertThat(store.api.call("GET", "/api/conversations?status=ACTIVE", caio, null).body().findValuesAsText("id"))
                .containsExactly(conversation.toString());
        assertThat(store.api.call("GET", "/api/conversations?status=ACTIVE", duda, null).body()).isEmpty();
        Reply direct = store.api.call("POST", "/api/whatsapp/send", duda, JSON.createObjectNode()
                .put("customerId", view.text("customerId")).put("type", "text").put("text", "por fora"));
        assertThat(direct.status()).isEqualTo(403);
        assertThat(store.api.call("POST", "/api/whatsapp/send", caio, JSON.createObjectNode()
                .put("customerId", view.text("customerId")).put("type", "text").put("text", "pelo atalho"))
                .status()).isEqualTo(201);
    }

    @Test
    void historyIsPagedNewestFirstWithACursor(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID conversation = store.queuedConversation("5511910000007");
        store.user("eva@fila.example", "AGENT");
        String eva = store.token("eva@fila.example");
        Reply page = store.api.call("GET", "/api/conversations/" + conversation + "/messages?limit=3", eva, null);
        assertThat(page.body()).hasSize(3);
        List<Long> ids = page.body().findValues("id").stream().map(n -> n.asLong()).toList();
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        Reply next = store.api.call("GET", "/api/conversations/" + conversation + "/messages?limit=3&before=" + ids.get(2),
                eva, null);
        assertThat(next.body().findValues("id").stream().map(n -> n.asLong()).toList())
                .allSatisfy(id -> assertThat(id).isLessThan(ids.get(2))).isNotEmpty();
    }

    @Test
    void releaseRequeuesAndCloseSendsTheNextMessageBackToTheBot(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID conversation = store.queuedConversation("5511910000008");
        store.user("fabio@fila.example", "AGENT");
        String fabio = store.token("fabio@fila.example");
        assertThat(store.api.call("POST", "/api/queue/" + conversation + "/take", fabio, null).status()).isEqualTo(200);
        Reply released = store.api.call("POST", "/api/conversations/" + conversation + "/release", fabio, null);
        assertThat(released.text("status")).isEqualTo("QUEUED");
        assertThat(released.body().path("assignedAgentId").isNull()).isTrue();
        assertThat(store.api.call("POST", "/api/queue/" + conversation + "/take", fabio, null).status()).isEqualTo(200);
        assertThat(store.api.call("POST", "/api/conversations/" + conversation + "/close", fabio, null).text("status"))
                .isEqualTo("CLOSED");
        assertThat(store.api.call("POST", "/api/conversations/" + conversation + "/close", fabio, null).status())
                .isEqualTo(409);

        int before = store.replies("5511910000008").size();
        store.send("5511910000008", "Cliente", "oi de novo");
        List<String> replies = store.awaitReplies("5511910000008", before + 2);
        assertThat(replies.get(before)).startsWith("Olá");
        await().atMost(ConnectedWorkspace.WAIT).until(() -> store.queryList(
                "select status from conversation v join customer c on c.id = v.customer_id where c.wa_id = ? and c.workspace_id = '"
                        + store.workspace + "'",
                "5511910000008").contains("BOT"));
    }

    @Test
    void anotherWorkspacesAgentCannotTakeOrReadTheConversation(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID conversation = store.queuedConversation("5511910000009");
        ConnectedWorkspace other = new ConnectedWorkspace(env, 5);
        other.user("intruso@outra.example", "SUPERVISOR");
        String intruder = other.token("intruso@outra.example");
        assertThat(store.api.call("POST", "/api/queue/" + conversation + "/take", intruder, null).status()).isEqualTo(404);
        assertThat(store.api.call("GET", "/api/conversations/" + conversation + "/messages", intruder, null).status())
                .isEqualTo(404);
        assertThat(store.api.call("GET", "/api/queue", intruder, null).body().findValuesAsText("id"))
                .doesNotContain(conversation.toString());
    }
}
