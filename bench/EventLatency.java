import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Live-event benchmark against a local run (loopback only, bounded): opens CLIENTS WebSocket
 * consoles of one supervisor on one node, then sends MESSAGES signed webhook deliveries one after
 * another (each a new customer) and measures, for each, the time from the POST to the first console
 * receiving its event. Prints p50/p99 latency and how many clients stayed connected.
 *
 * java bench/EventLatency.java BASE TOKEN PHONE_NUMBER_ID APP_SECRET WORKSPACE_ID CLIENTS MESSAGES
 */
public class EventLatency {

    private static final Pattern CONVERSATION = Pattern.compile("\"conversationId\":\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        String base = args[0], token = args[1], phone = args[2], secret = args[3];
        int clients = Integer.parseInt(args[5]), messages = Integer.parseInt(args[6]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Long> firstSeen = new ConcurrentHashMap<>();
        AtomicInteger open = new AtomicInteger();
        List<WebSocket> sockets = new ArrayList<>();
        URI ws = URI.create(base.replace("http://", "ws://") + "/ws/agents?access_token=" + token);
        for (int i = 0; i < clients; i++) {
            sockets.add(http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
                @Override
                public void onOpen(WebSocket socket) {
                    open.incrementAndGet();
                    socket.request(Long.MAX_VALUE);
                }

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                    Matcher m = CONVERSATION.matcher(data);
                    if (m.find()) {
                        firstSeen.putIfAbsent(m.group(1), System.nanoTime());
                    }
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                    open.decrementAndGet();
                    return null;
                }
            }).get(30, TimeUnit.SECONDS));
        }
        System.out.printf("connected WebSocket clients: %d of %d%n", open.get(), clients);
        List<Long> latencies = new ArrayList<>();
        Pattern conversationOf = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
        for (int i = 0; i < messages; i++) {
            String from = Long.toString(5511930000000L + i);
            String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"bench\",\"changes\":[{\"field\":\"messages\",\"value\":{"
                    + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"551140040000\",\"phone_number_id\":\"" + phone + "\"},"
                    + "\"contacts\":[{\"profile\":{\"name\":\"Bench\"},\"wa_id\":\"" + from + "\"}],"
                    + "\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid.EVT" + UUID.randomUUID().toString().replace("-", "")
                    + "\",\"timestamp\":\"" + System.currentTimeMillis() / 1000 + "\",\"type\":\"text\",\"text\":{\"body\":\"oi\"}}]}}]}]}";
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            int before = firstSeen.size();
            long sent = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/whatsapp/webhook"))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("webhook answered " + response.statusCode());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (firstSeen.size() == before && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            Long seen = firstSeen.values().stream().filter(t -> t >= sent).min(Long::compare).orElse(null);
            if (seen != null) {
                latencies.add((seen - sent) / 1_000);
            }
        }
        Collections.sort(latencies);
        System.out.printf("events received: %d of %d; latency webhook POST -> first WebSocket delivery: p50 %.1f ms, p99 %.1f ms%n",
                latencies.size(), messages, latencies.get(latencies.size() / 2) / 1000.0,
                latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.99) - 1)) / 1000.0);
        System.out.printf("still connected: %d of %d%n", open.get(), clients);
        sockets.forEach(WebSocket::abort);
    }
}
