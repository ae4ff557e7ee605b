package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A console's WebSocket connection to {@code /ws/agents}, collecting the events it receives. */
final class EventClient implements WebSocket.Listener, AutoCloseable {

    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<Long> receivedAtNanos = new CopyOnWriteArrayList<>();
    volatile int closeCode;
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private EventClient(HttpClient http, String socketUri, String token, long since, String requestId) throws Exception {
        String uri = socketUri + "?access_token=" + token + (since > 0 ? "&since=" + since : "");
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (requestId != null) {
            builder.header("X-Request-Id", requestId);
        }
        this.socket = builder.buildAsync(URI.create(uri), this).get(15, TimeUnit.SECONDS);
    }

    static EventClient connect(TomcatServer node, String token, long since) throws Exception {
        return new EventClient(HttpClient.newHttpClient(), node.uri("/ws/agents").toString().replace("http://", "ws://"),
                token, since, null);
    }

    /** Through a proxy: {@code socketUri} is the full {@code ws://} or {@code wss://} address of /ws/agents. */
    static EventClient connect(HttpClient http, String socketUri, String token, String requestId) throws Exception {
        return new EventClient(http, socketUri, token, 0, requestId);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                events.add(JSON.readTree(partial.toString()));
                receivedAtNanos.add(System.nanoTime());
            } catch (Exception unreadable) {
                throw new IllegalStateException(unreadable);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).path("seq").asLong();
    }

    List<String> types() {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
