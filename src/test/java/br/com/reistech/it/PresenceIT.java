package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Agents' presence: absent agents' conversations return to the queue; auto-assignment goes round-robin. */
@ExtendWith(Environment.Extension.class)
class PresenceIT {

    private static final String HOLDER = "select coalesce(assigned_agent_id::text, '-') || ':' || status from conversation where id = ?::uuid";

    @Test
    void anOfflineAgentsConversationReturnsToTheQueueWhileAConnectedAgentKeepsTheirs(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        store.queueSettings(JSON.createObjectNode().put("agentCapacity", 5).put("offlineAfterSeconds", 10));
        UUID connected = store.user("conectada@presenca.example", "AGENT");
        store.user("ausente@presenca.example", "AGENT");
        String connectedToken = store.token("conectada@presenca.example");
        String awayToken = store.token("ausente@presenca.example");
        UUID kept = store.queuedConversation("5511920000001");
        UUID returned = store.queuedConversation("5511920000002");

        String realtime = "br.com.reistech:type=Realtime,context=ROOT";
        int before = Integer.parseInt(env.tomcat.jmx(realtime, "ConnectedClients"));
        try (EventClient console = EventClient.connect(env.tomcat, connectedToken, 0)) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Integer.parseInt(env.tomcat.jmx(realtime, "ConnectedClients")) == before + 1);
            assertThat(store.api.call("POST", "/api/queue/" + kept + "/take", connectedToken, null).status()).isEqualTo(200);
            assertThat(store.api.call("POST", "/api/queue/" + returned + "/take", awayToken, null).status()).isEqualTo(200);

            // The absent agent made no call since taking it, and has no console open.
            await().atMost(Duration.ofSeconds(40)).until(() -> "-:QUEUED".equals(store.query(HOLDER, returned.toString())));
            assertThat(store.query(HOLDER, kept.toString())).isEqualTo(connected + ":ACTIVE");
            assertThat(store.query("""
                    select details->>'reason' from audit_event where action = 'conversation.released'
                    and target = ? and actor_id is null""", returned.toString())).isEqualTo("offline");
            await().atMost(Duration.ofSeconds(10)).until(() -> console.events.stream().anyMatch(e ->
                    "released".equals(e.path("type").asText()) && returned.toString().equals(e.path("conversationId").asText())));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.parseInt(env.tomcat.jmx(realtime, "ConnectedClients")) == before);
    }

    @Test
    void autoAssignmentGoesRoundRobinToOnlineAgentsWithRoomOnly(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 2);
        UUID ana = store.user("ana@rodizio.example", "AGENT");
        UUID bia = store.user("bia@rodizio.example", "AGENT");
        UUID carla = store.user("carla@rodizio.example", "AGENT");
        store.user("chefe@rodizio.example", "SUPERVISOR");
        String anaToken = store.token("ana@rodizio.example");
        String biaToken = store.token("bia@rodizio.example");
        String chefeToken = store.token("chefe@rodizio.example");
        List<UUID> waiting = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            waiting.add(store.queuedConversation("551192000010" + i));
        }

        try (EventClient anaConsole = EventClient.connect(env.tomcat, anaToken, 0);
             EventClient biaConsole = EventClient.connect(env.tomcat, biaToken, 0);
             EventClient chefeConsole = EventClient.connect(env.tomcat, chefeToken, 0)) {
            store.queueSettings(JSON.createObjectNode().put("agentCapacity", 2).put("autoAssign", true));

            String count = "select count(*) from conversation where assigned_agent_id = ?::uuid and status = 'ACTIVE'";
            await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(store.query(count, ana.toString()))
                    && "2".equals(store.query(count, bia.toString())));
            // Capacity 2 each: the fifth waits; the offline agent and the supervisor get nothing.
            assertThat(store.query(HOLDER, waiting.get(4).toString())).isEqualTo("-:QUEUED");
            assertThat(store.query(count, carla.toString())).isEqualTo("0");
            assertThat(store.query("select count(*) from conversation where workspace_id = ?::uuid and status = 'ACTIVE'",
                    store.workspace.toString())).isEqualTo("4");
            // Oldest first: the four longest waiting were the ones given out.
            for (UUID assigned : waiting.subList(0, 4)) {
                assertThat(store.query(HOLDER, assigned.toString())).endsWith(":ACTIVE");
            }

            // Room again: the waiting one goes to whoever freed it.
            UUID anaHolds = UUID.fromString(store.query(
                    "select id::text from conversation where assigned_agent_id = ?::uuid and status = 'ACTIVE' limit 1",
                    ana.toString()));
            assertThat(store.api.call("POST", "/api/conversations/" + anaHolds + "/close", anaToken, null).status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    (ana + ":ACTIVE").equals(store.query(HOLDER, waiting.get(4).toString())));
            assertThat(chefeConsole.closeCode).isZero();
            assertThat(biaConsole.closeCode).isZero();
        }
    }
}
