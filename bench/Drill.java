import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Fault drills against the local cluster (scripts/cluster-local.sh), loopback only, bounded in time.
 * A mixed load runs through Nginx and straight at the nodes while one part is taken away and given
 * back (the FAULT and RECOVER shell commands); then the drill checks what the design promises and
 * prints PASS or FAIL lines (exit 1 on any FAIL). Run through bench/drill.sh, which knows the commands.
 *
 * <pre>java bench/Drill.java redis|postgres|tomcat|webhooks key=value...</pre>
 * keys: base (Nginx), node1, node2, credentials, fault, recover, outage (seconds), psql (command
 * prefix that runs SQL given as its last argument).
 */
public class Drill {

    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    private final Map<String, String> options;
    private final HttpClient http;
    private final String base;
    private final List<String> failures = new ArrayList<>();
    private String token;

    /** One request's outcome: what it was, on which URL, its status (-1: no answer), how long. */
    record Outcome(String kind, String url, int status, long millis, String body, long atMillis) {
    }

    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

    Drill(Map<String, String> options) throws Exception {
        this.options = options;
        SSLContext tls = SSLContext.getInstance("TLS");
        // Loopback drill against the cluster's own self-signed certificate.
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String auth) { }
            public void checkServerTrusted(X509Certificate[] chain, String auth) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, new SecureRandom());
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(3)).build();
        this.base = options.getOrDefault("base", "https://127.0.0.1:8443");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Drill drill = new Drill(options);
        drill.login();
        switch (args[0]) {
            case "redis" -> drill.redis();
            case "postgres" -> drill.postgres();
            case "tomcat" -> drill.tomcat();
            case "webhooks" -> drill.webhooks();
            default -> throw new IllegalArgumentException("unknown drill " + args[0]);
        }
        System.exit(drill.failures.isEmpty() ? 0 : 1);
    }

    // ---- the drills ----

    /** Redis away: every read and write still succeeds, health says degraded, and recovers by itself. */
    void redis() throws Exception {
        List<String> redisChecks = List.of("redis", "cache", "rateLimiter");
        Watch health = underFault(node(1) + "/health",
                h -> redisChecks.stream().allMatch(check -> "healthy".equals(check(h.body(), check))));
        check(health.polls().stream().anyMatch(h -> "degraded".equals(status(h.body())) && !"healthy".equals(check(h.body(), "redis"))),
                "/health turned degraded, its redis check not healthy, while Redis was away (" + statuses(health.polls()) + ")");
        check(health.recovered(), "/health's redis, cache and rateLimiter checks healthy again " + health.recoveredAfterMillis()
                + " ms after Redis returned, without a restart (overall now: "
                + status(health.polls().get(health.polls().size() - 1).body()) + ")");
        List<Outcome> failed = outcomes.stream().filter(o -> o.status() < 200 || o.status() > 299).toList();
        check(failed.isEmpty(), "every request succeeded through the outage: " + (outcomes.size() - failed.size())
                + " of " + outcomes.size() + describe(failed));
        checkWritesStored();
    }

    /** PostgreSQL restarted: writes fail fast with 503 problem+json, /ready 503 then 200, no 2xx write lost. */
    void postgres() throws Exception {
        Watch ready = underFault(node(1) + "/ready", r -> r.status() == 200);
        check(ready.polls().stream().anyMatch(r -> r.status() == 503),
                "/ready answered 503 during the outage (" + statuses(ready.polls()) + ")");
        check(ready.recovered(), "/ready answered 200 again after PostgreSQL returned");
        List<Outcome> writes = outcomes.stream().filter(o -> o.kind().equals("write")).toList();
        List<Outcome> bad = writes.stream().filter(o -> !(o.status() == 201
                || o.status() == 503 && o.body().contains("\"type\"") && o.body().contains("unavailable"))).toList();
        check(bad.isEmpty(), "every write answered 201 or 503 problem+json: " + writes.size() + " writes" + describe(bad));
        long refused = writes.stream().filter(o -> o.status() == 503).count();
        long slowest = writes.stream().filter(o -> o.status() == 503).mapToLong(Outcome::millis).max().orElse(0);
        check(refused > 0, refused + " writes refused with 503 during the outage");
        check(slowest <= 5_000, "the slowest 503 took " + slowest + " ms (fail fast: at most 5 s)");
        checkWritesStored();
    }

    /** What {@link #underFault} saw of the watched URL: every poll, and whether and when it recovered. */
    record Watch(List<Outcome> polls, boolean recovered, long recoveredAfterMillis) {
    }

    /**
     * The mixed load with writes on Nginx and both nodes; after 5 s the part is taken away (FAULT)
     * for {@link #outage()} seconds while {@code url} is polled, given back (RECOVER), and polled
     * until {@code recovered} holds (at most 60 s); the load runs 5 s more, then its summary.
     */
    Watch underFault(String url, java.util.function.Predicate<Outcome> recovered) throws Exception {
        Load load = startLoad(List.of(base, node(1), node(2)), true);
        List<Outcome> polls = new ArrayList<>();
        pause(5);
        long faultAt = System.currentTimeMillis();
        shell("fault");
        pollFor(Duration.ofSeconds(outage()), () -> polls.add(get("poll", url)));
        shell("recover");
        long recoveredAt = System.currentTimeMillis();
        boolean back = pollUntil(Duration.ofSeconds(60), () -> {
            Outcome poll = get("poll", url);
            polls.add(poll);
            return recovered.test(poll);
        });
        long after = System.currentTimeMillis() - recoveredAt;
        pause(5);
        load.stop();
        summary(faultAt);
        return new Watch(polls, back, after);
    }

    /** One Tomcat killed: no idempotent request through Nginx fails; consoles reconnect and miss nothing. */
    void tomcat() throws Exception {
        String admin = token;
        List<Console> consoles = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            consoles.add(new Console(admin));
        }
        for (Console console : consoles) {
            console.connect(0);
        }
        Load load = startLoad(List.of(base), false);
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicInteger produced = new AtomicInteger();
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            while (producing.get()) {
                String phone = "55119" + (70000000 + produced.get());
                Outcome o = post("event", base + "/api/dev/whatsapp/inbound", "{\"from\":\"" + phone + "\",\"text\":\"oi\"}");
                if (o.status() / 100 == 2) {
                    produced.incrementAndGet();
                }
                sleepQuietly(100);
            }
        });
        pause(5);
        long faultAt = System.currentTimeMillis();
        shell("fault");
        pause(outage());
        producing.set(false);
        producer.join();
        load.stop();
        summary(faultAt);
        List<Outcome> failed = outcomes.stream().filter(o -> o.status() < 200 || o.status() > 299).toList();
        check(failed.isEmpty(), "no idempotent request through Nginx failed: " + outcomes.size() + " requests" + describe(failed));
        // Every console must end up holding one event per message produced, without gaps or repeats.
        boolean complete = pollUntil(Duration.ofSeconds(30), () -> {
            long max = consoles.stream().mapToLong(Console::maxSeq).max().orElse(0);
            return consoles.stream().allMatch(c -> c.complete(max) && c.count() >= produced.get());
        });
        long max = consoles.stream().mapToLong(Console::maxSeq).max().orElse(0);
        int reconnected = (int) consoles.stream().filter(c -> c.connects.get() > 1).count();
        check(reconnected > 0, reconnected + " of " + consoles.size() + " consoles were cut and reconnected");
        for (Console c : consoles) {
            check(c.complete(max) && c.count() >= produced.get(), "console " + c.index + ": events " + c.minSeq() + ".." + max
                    + " without gaps, one per message produced (" + c.count() + " events for " + produced.get() + " messages, "
                    + c.duplicates.get() + " repeated, " + c.resyncs.get() + " resync, " + c.connects.get() + " connections)");
            check(c.duplicates.get() == 0 && c.resyncs.get() == 0, "console " + c.index + ": no event twice, no resync");
        }
        check(complete, "every console complete within 30 s of the end of the load");
        System.out.println("events produced during the drill: " + produced.get());
        consoles.forEach(Console::close);
        shell("recover");
    }

    /** The same deliveries sent three times, to both nodes, in shuffled order: each message stored once. */
    void webhooks() throws Exception {
        String secret = "drill-secret-" + UUID.randomUUID();
        String phoneNumberId = Long.toString(100_000_000_000L + new SecureRandom().nextInt(900_000_000));
        Outcome account = post("setup", base + "/api/whatsapp/accounts", "{\"phoneNumberId\":\"" + phoneNumberId
                + "\",\"accessToken\":\"drill-token-0123456789abcdef\",\"appSecret\":\"" + secret
                + "\",\"verifyToken\":\"drill-verify-0123456789\"}");
        check(account.status() / 100 == 2, "WhatsApp account connected (" + account.status() + ")");
        int messages = Integer.parseInt(options.getOrDefault("messages", "300"));
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        List<String[]> deliveries = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < messages; i++) {
            String waId = "55118" + (run.hashCode() & 0xfff) + String.format("%04d", i % 30);
            String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"drill\",\"changes\":[{\"field\":\"messages\","
                    + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"551140040000\","
                    + "\"phone_number_id\":\"" + phoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Cliente\"},\"wa_id\":\""
                    + waId + "\"}],\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"wamid.DRILL" + run + i + "\",\"timestamp\":\""
                    + (now + i / 30) + "\",\"type\":\"text\",\"text\":{\"body\":\"mensagem " + i + "\"}}]}}]}]}";
            deliveries.add(new String[] {body, "sha256=" + hmac(secret, body)});
        }
        List<String[]> sends = new ArrayList<>();
        List<String> targets = List.of(node(1), node(2), base);
        for (String[] delivery : deliveries) {
            for (String target : targets) {
                sends.add(new String[] {target, delivery[0], delivery[1]});
            }
        }
        Collections.shuffle(sends, new SecureRandom());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (String[] send : sends) {
            pool.submit(() -> outcomes.add(request("webhook", HttpRequest.newBuilder(URI.create(send[0] + "/api/whatsapp/webhook"))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", send[2])
                    .POST(HttpRequest.BodyPublishers.ofString(send[1])))));
        }
        pool.shutdown();
        pool.awaitTermination(120, TimeUnit.SECONDS);
        List<Outcome> failed = outcomes.stream().filter(o -> o.kind().equals("webhook") && o.status() != 200).toList();
        check(failed.isEmpty(), "every delivery (" + sends.size() + ", each message three times) answered 200" + describe(failed));
        String like = "wamid.DRILL" + run + "%";
        // Stored deliveries become messages asynchronously: wait (bounded) until every one has.
        boolean handled = pollUntil(Duration.ofSeconds(120), () -> sql("select count(distinct wamid) || ' '"
                + " || count(*) filter (where processed_at is null) from message where wamid like '" + like + "'")
                .equals(messages + " 0"));
        String stored = sql("select count(*) || ' ' || count(distinct wamid) from message where wamid like '" + like + "'");
        check(stored.equals(messages + " " + messages), "each of the " + messages + " messages stored exactly once (stored, distinct: " + stored + ")");
        check(handled, "every message handled by the bot");
        String replies = sql("select count(*) from (select m.id from message m join message o on o.conversation_id = m.conversation_id"
                + " and o.direction = 'OUT' where m.wamid like '" + like + "' group by m.id) x");
        System.out.println("messages with at least one reply in their conversation: " + replies);
    }

    // ---- load ----

    /** The mixed load: hot reads and session checks everywhere, plus catalog writes when asked. */
    final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
    }

    Load startLoad(List<String> targets, boolean writes) {
        Load load = new Load();
        AtomicInteger sku = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (String target : targets) {
            for (int worker = 0; worker < 3; worker++) {
                int kind = worker;
                Thread thread = new Thread(() -> {
                    while (load.running.get()) {
                        if (kind == 2 && writes) {
                            String body = "{\"sku\":\"drill-" + run + "-" + sku.incrementAndGet()
                                    + "\",\"name\":\"Capa drill\",\"price\":\"10.00\",\"stock\":1,\"active\":true}";
                            outcomes.add(post("write", target + "/api/catalog/items", body));
                        } else if (kind == 1) {
                            outcomes.add(get("read", target + "/api/auth/me"));
                        } else {
                            outcomes.add(get("read", target + "/api/catalog/items?page=0&size=20&sort=name"));
                        }
                        sleepQuietly(20);
                    }
                });
                thread.start();
                load.threads.add(thread);
            }
        }
        return load;
    }

    void checkWritesStored() {
        List<String> ids = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.kind().equals("write") && o.status() == 201) {
                Matcher m = ID.matcher(o.body());
                if (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        int present = 0;
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            present += Integer.parseInt(sql("select count(*) from catalog_item where id in ('" + String.join("','", chunk) + "')"));
        }
        check(!ids.isEmpty() && present == ids.size(), "every write answered 201 is in the database: " + present + " of " + ids.size());
    }

    // ---- WebSocket consoles ----

    final class Console implements WebSocket.Listener {
        private static final AtomicInteger COUNT = new AtomicInteger();
        final int index = COUNT.incrementAndGet();
        final TreeSet<Long> seqs = new TreeSet<>();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger resyncs = new AtomicInteger();
        final AtomicInteger connects = new AtomicInteger();
        private final String bearer;
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;
        private volatile boolean closed;

        Console(String bearer) {
            this.bearer = bearer;
        }

        long maxSeq() {
            synchronized (seqs) {
                return seqs.isEmpty() ? 0 : seqs.last();
            }
        }

        long minSeq() {
            synchronized (seqs) {
                return seqs.isEmpty() ? 0 : seqs.first();
            }
        }

        int count() {
            synchronized (seqs) {
                return seqs.size();
            }
        }

        boolean complete(long max) {
            synchronized (seqs) {
                return !seqs.isEmpty() && max - minSeq() + 1 == seqs.size() && maxSeq() == max;
            }
        }

        void connect(long since) {
            for (int attempt = 0; attempt < 100 && !closed; attempt++) {
                String ws = base.replaceFirst("^http", "ws") + "/ws/agents?access_token=" + bearer + (since > 0 ? "&since=" + since : "");
                try {
                    socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3)).buildAsync(URI.create(ws), this)
                            .get(5, TimeUnit.SECONDS);
                    connects.incrementAndGet();
                    return;
                } catch (Exception refused) {
                    sleepQuietly(200);
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String event = partial.toString();
                partial.setLength(0);
                Matcher type = TYPE.matcher(event);
                Matcher seq = SEQ.matcher(event);
                if (type.find() && type.group(1).equals("resync")) {
                    resyncs.incrementAndGet();
                } else if (seq.find()) {
                    synchronized (seqs) {
                        if (!seqs.add(Long.parseLong(seq.group(1)))) {
                            duplicates.incrementAndGet();
                        }
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            reconnect();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            reconnect();
        }

        private void reconnect() {
            if (!closed) {
                CompletableFuture.runAsync(() -> connect(maxSeq()));
            }
        }

        void close() {
            closed = true;
            WebSocket current = socket;
            if (current != null) {
                current.abort();
            }
        }
    }

    // ---- helpers ----

    void login() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(options.getOrDefault("credentials", ".run/cluster/admin.credentials")));
        Outcome login = request("login", HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workspace\":\"demo\",\"email\":\"" + lines.get(0)
                        + "\",\"password\":\"" + lines.get(1) + "\"}")));
        Matcher m = TOKEN.matcher(login.body());
        if (!m.find()) {
            throw new IllegalStateException("login failed: " + login.status());
        }
        token = m.group(1);
    }

    Outcome get(String kind, String url) {
        return request(kind, HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET());
    }

    Outcome post(String kind, String url, String json) {
        return request(kind, HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Outcome request(String kind, HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(15)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Outcome(kind, request.uri().toString(), response.statusCode(), (System.nanoTime() - start) / 1_000_000,
                    response.body(), System.currentTimeMillis());
        } catch (IOException failure) {
            return new Outcome(kind, request.uri().toString(), -1, (System.nanoTime() - start) / 1_000_000,
                    String.valueOf(failure), System.currentTimeMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Outcome(kind, request.uri().toString(), -1, 0, "interrupted", System.currentTimeMillis());
        }
    }

    String node(int n) {
        return options.getOrDefault("node" + n, "http://127.0.0.1:1808" + n);
    }

    int outage() {
        return Integer.parseInt(options.getOrDefault("outage", "15"));
    }

    void shell(String which) throws Exception {
        String command = options.get(which);
        System.out.println("-- " + which + ": " + command);
        Process process = new ProcessBuilder("bash", "-c", command).inheritIO().start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(which + " command failed: " + command);
        }
    }

    String sql(String query) {
        try {
            List<String> command = new ArrayList<>(List.of("bash", "-c", options.get("psql") + " \"$0\"", query));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    void summary(long faultAt) {
        Map<String, Map<Integer, Integer>> byKind = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            byKind.computeIfAbsent(o.kind() + (o.atMillis() < faultAt ? " before" : " after"), k -> new java.util.TreeMap<>())
                    .merge(o.status(), 1, Integer::sum);
        }
        byKind.forEach((kind, statuses) -> System.out.println("load " + kind + " the fault: " + statuses + " (status=count, -1 = no answer)"));
    }

    void check(boolean ok, String what) {
        System.out.println((ok ? "PASS " : "FAIL ") + what);
        if (!ok) {
            failures.add(what);
        }
    }

    static String status(String body) {
        Matcher m = STATUS.matcher(body);
        return m.find() ? m.group(1) : "";
    }

    /** The status of one named check in a /health report (details are shown to loopback callers). */
    static String check(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\{[^{}]*?\"status\"\\s*:\\s*\"(\\w+)\"").matcher(body);
        return m.find() ? m.group(1) : "";
    }

    static String statuses(List<Outcome> polls) {
        List<String> seen = new ArrayList<>();
        for (Outcome o : polls) {
            String s = o.status() + (status(o.body()).isEmpty() ? "" : ":" + status(o.body()))
                    + (check(o.body(), "redis").isEmpty() ? "" : "/redis:" + check(o.body(), "redis"));
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                seen.add(s);
            }
        }
        return "in order: " + String.join(" -> ", seen);
    }

    static String describe(List<Outcome> failed) {
        if (failed.isEmpty()) {
            return "";
        }
        Outcome first = failed.get(0);
        return "; " + failed.size() + " failed, first: " + first.kind() + " " + first.url() + " -> " + first.status() + " "
                + first.body().substring(0, Math.min(200, first.body().length()));
    }

    interface Poll {
        void run() throws Exception;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void pollFor(Duration duration, Poll poll) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            poll.run();
            sleepQuietly(500);
        }
    }

    static boolean pollUntil(Duration limit, Condition condition) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.holds()) {
                return true;
            }
            sleepQuietly(500);
        }
        return condition.holds();
    }

    /** The drill's load runs for wall-clock time by design: this is a script, not a unit test. */
    static void pause(int seconds) {
        sleepQuietly(seconds * 1000L);
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
