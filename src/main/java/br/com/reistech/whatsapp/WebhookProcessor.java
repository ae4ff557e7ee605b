package br.com.reistech.whatsapp;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.config.AppConfig;
import br.com.reistech.conversations.ConversationChanged;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.OpenConversation;
import br.com.reistech.customers.Customer;
import br.com.reistech.customers.CustomerService;
import br.com.reistech.media.MediaService;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.realtime.EventOutbox;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Meta's webhook deliveries, in two steps:
 * <ol>
 *   <li>{@link #accept}: the signature is checked over the raw bytes against the connected
 *       accounts' app secrets, then the raw payload is stored in {@code webhook_inbox} and the
 *       request answered; nothing is parsed before the signature is good. One writer thread stores
 *       the deliveries that arrive together in one transaction, and each request is answered 200
 *       only once its own row is committed.</li>
 *   <li>{@link #process}, on {@code WHATSAPP_WORKERS} worker threads, each sender's deliveries on
 *       the same thread in arrival order: messages are routed by
 *       {@code metadata.phone_number_id} (the routed account's secret must have signed the
 *       payload), customers identified or updated, messages stored once per wamid (a unique
 *       constraint), statuses applied forward only; then the bot is told
 *       ({@link InboundReceived}).</li>
 * </ol>
 * Rows left unprocessed (a crash, a full queue, another node's failure) are picked up again by a
 * sweep every two seconds, up to five attempts.
 */
@ApplicationScoped
public class WebhookProcessor {

    private static final Logger LOG = LogManager.getLogger(WebhookProcessor.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final int STORE_BATCH = 100;
    private static final int STORE_BACKLOG = 10_000;
    private static final long STORE_WAIT_SECONDS = 30;

    private final Transactions transactions;
    private final WhatsAppAccountService accounts;
    private final CustomerService customers;
    private final ConversationService conversations;
    private final Event<InboundReceived> inbound;
    private final EventOutbox events;
    private final Event<MediaAnnounced> mediaAnnounced;
    private final MediaService media;
    private final ObjectMapper json;
    private final WhatsAppStatus status;
    private final List<ThreadPoolExecutor> partitions;
    private final Set<Long> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final OwnedThreads threads = new OwnedThreads("reistech-webhook");
    private final ScheduledExecutorService sweeper = new ScheduledThreadPoolExecutor(1, threads);
    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>(STORE_BACKLOG);
    private final ExecutorService inboxWriter = Executors.newSingleThreadExecutor(threads);

    /** A verified delivery waiting for the inbox writer; {@code id} completes with its row's id. */
    private record Arrival(UUID workspaceId, String payload, String signature, String sender,
                           CompletableFuture<Long> id) {
    }

    @Inject
    public WebhookProcessor(Transactions transactions, WhatsAppAccountService accounts, CustomerService customers,
                            ConversationService conversations, Event<InboundReceived> inbound,
                            EventOutbox events, Event<MediaAnnounced> mediaAnnounced,
                            MediaService media, ObjectMapper json, AppConfig config, WhatsAppStatus status) {
        this.status = status;
        this.events = events;
        this.mediaAnnounced = mediaAnnounced;
        this.media = media;
        this.partitions = java.util.stream.IntStream.range(0, config.whatsapp().workers())
                .mapToObj(i -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<Runnable>(10_000),
                        threads))
                .toList();
        this.transactions = transactions;
        this.accounts = accounts;
        this.customers = customers;
        this.conversations = conversations;
        this.inbound = inbound;
        this.json = json;
    }

    /** Starts the recovery sweep; called once by the composition root. */
    public void start() {
        inboxWriter.execute(this::writeInbox);
        sweeper.scheduleWithFixedDelay(this::sweep, 2, 2, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        List<ExecutorService> executors = new ArrayList<>(partitions);
        executors.add(sweeper);
        executors.add(inboxWriter);
        threads.stop(20, executors);
    }

    /** Verifies and stores a delivery from Meta; 401 (nothing stored) when no account's secret signed it. */
    public void accept(byte[] raw, String signature) {
        // Usually every number of an installation belongs to one Meta app: one HMAC per delivery.
        if (!accounts.matches(known -> signedByOneOf(known, raw, signature))) {
            throw new ApiException(ProblemType.UNAUTHORIZED, "Missing or invalid X-Hub-Signature-256");
        }
        String payload = new String(raw, StandardCharsets.UTF_8);
        store(null, payload, signature, sender(payload));
    }

    private static boolean signedByOneOf(List<WhatsAppAccount> candidates, byte[] raw, String signature) {
        return candidates.stream().map(WhatsAppAccount::appSecret).distinct()
                .anyMatch(secret -> WebhookSignature.matches(raw, signature, secret));
    }

    /** Stores a delivery already known to belong to {@code workspaceId} (simulated mode's injected messages). */
    public void acceptTrusted(UUID workspaceId, String payload) {
        store(workspaceId, payload, null, sender(payload));
    }

    /**
     * Hands the delivery to the inbox writer and waits until it is stored (the writer also queues it
     * for processing); 503 when it could not be stored in time or the writer's backlog is full.
     */
    private void store(UUID workspaceId, String payload, String signature, String sender) {
        Arrival arrival = new Arrival(workspaceId, payload, signature,
                sender == null ? null : sender.substring(0, Math.min(128, sender.length())), new CompletableFuture<>());
        if (!arrivals.offer(arrival)) {
            throw unavailable("Too many webhook deliveries are waiting to be stored");
        }
        try {
            arrival.id().get(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(failed.getCause());
        } catch (TimeoutException slow) {
            arrival.id().cancel(false); // answered 503: the writer skips it unless already storing it
            throw unavailable("The delivery could not be stored in time");
        } catch (InterruptedException stopping) {
            arrival.id().cancel(false);
            Thread.currentThread().interrupt();
            throw unavailable("The server is stopping");
        }
    }

    private static ApiException unavailable(String detail) {
        return new ApiException(ProblemType.SERVICE_UNAVAILABLE, detail + "; retry later");
    }

    /**
     * The inbox writer's loop, on a thread of its own: stores what has arrived meanwhile in one
     * transaction (up to {@value #STORE_BATCH} deliveries, in arrival order), queues them for
     * processing in that order, then tells each waiting request its row id, or the failure. One
     * writer instead of a transaction per request keeps ingestion to one pooled connection, whatever
     * the number of concurrent deliveries.
     */
    private void writeInbox() {
        List<Arrival> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(arrivals.take());
            } catch (InterruptedException stopping) {
                break;
            }
            arrivals.drainTo(batch, STORE_BATCH - 1);
            batch.removeIf(arrival -> arrival.id().isDone()); // given up on by their requests
            if (batch.isEmpty()) {
                continue;
            }
            try {
                List<Long> ids = transactions.write(() -> insert(batch));
                for (int i = 0; i < batch.size(); i++) {
                    enqueue(ids.get(i), batch.get(i).sender());
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).id().complete(ids.get(i));
                }
            } catch (RuntimeException failure) {
                batch.forEach(arrival -> arrival.id().completeExceptionally(failure));
            }
            batch.clear();
        }
        ApiException stopping = unavailable("The server is stopping");
        for (Arrival left = arrivals.poll(); left != null; left = arrivals.poll()) {
            left.id().completeExceptionally(stopping);
        }
    }

    /** Inserts the batch's rows with ids taken from the table's sequence first, so each delivery knows its own. */
    @SuppressWarnings("unchecked")
    private List<Long> insert(List<Arrival> batch) {
        List<Long> ids = ((List<Number>) transactions.entityManager().createNativeQuery(
                        "select nextval(pg_get_serial_sequence('webhook_inbox', 'id')) from generate_series(1, ?1)")
                .setParameter(1, batch.size()).getResultList()).stream().map(Number::longValue).toList();
        StringBuilder sql = new StringBuilder(
                "insert into webhook_inbox (id, workspace_id, payload, signature, sender) overriding system value values ");
        for (int i = 0; i < batch.size(); i++) {
            int p = 5 * i;
            sql.append(i == 0 ? "" : ", ").append("(?").append(p + 1).append(", ?").append(p + 2).append(", ?")
                    .append(p + 3).append(", ?").append(p + 4).append(", ?").append(p + 5).append(')');
        }
        var insert = transactions.entityManager().createNativeQuery(sql.toString());
        for (int i = 0; i < batch.size(); i++) {
            Arrival arrival = batch.get(i);
            int p = 5 * i;
            insert.setParameter(p + 1, ids.get(i)).setParameter(p + 2, arrival.workspaceId())
                    .setParameter(p + 3, arrival.payload()).setParameter(p + 4, arrival.signature())
                    .setParameter(p + 5, arrival.sender());
        }
        insert.executeUpdate();
        return ids;
    }

    /** Queues a delivery on its sender's worker, unless this node already queued it. */
    private void enqueue(long id, String sender) {
        if (queued.add(id)) {
            try {
                partition(sender == null ? Long.toString(id) : sender).execute(() -> {
                    queued.remove(id);
                    process(id);
                });
            } catch (java.util.concurrent.RejectedExecutionException full) {
                queued.remove(id); // stored: the sweep takes it when the queue has room
            }
        }
    }

    /** Deliveries from one sender always go to the same worker, so they are handled in arrival order. */
    private ThreadPoolExecutor partition(String key) {
        return partitions.get(Math.floorMod(key.hashCode(), partitions.size()));
    }

    /** The sender of the delivery's first message (or status recipient), read after the signature check. */
    private String sender(String payload) {
        try {
            JsonNode value = json.readTree(payload).path("entry").path(0).path("changes").path(0).path("value");
            String from = value.path("messages").path(0).path("from").asText(null);
            return from != null ? from : value.path("statuses").path(0).path("recipient_id").asText(null);
        } catch (Exception malformed) {
            return null;
        }
    }

    /** Processes one stored delivery, at most once (row lock and {@code processed_at}). */
    @SuppressWarnings("unchecked")
    public void process(long inboxId) {
        try (var job = CloseableThreadContext.put("requestId", "webhook-" + inboxId)) {
            Set<InboundReceived> touched = new LinkedHashSet<>();
            Set<ConversationChanged> changed = new LinkedHashSet<>();
            transactions.write(() -> {
                List<Tuple> rows = transactions.entityManager().createNativeQuery("""
                                select workspace_id, payload, signature from webhook_inbox
                                where id = ?1 and processed_at is null for update skip locked""", Tuple.class)
                        .setParameter(1, inboxId).getResultList();
                if (rows.isEmpty()) {
                    return null;
                }
                Tuple row = rows.get(0);
                handle(row.get(0, UUID.class), row.get(1, String.class), row.get(2, String.class), touched, changed);
                transactions.entityManager()
                        .createNativeQuery("update webhook_inbox set processed_at = now(), attempts = attempts + 1 where id = ?1")
                        .setParameter(1, inboxId).executeUpdate();
                changed.forEach(events::record);
                transactions.afterCommit(() -> touched.forEach(inbound::fire));
                return null;
            });
        } catch (RuntimeException failure) {
            int attempts = transactions.write(() -> ((Number) transactions.entityManager().createNativeQuery("""
                            update webhook_inbox set attempts = attempts + 1, last_error = left(?2, 500) where id = ?1
                            returning attempts""")
                    .setParameter(1, inboxId).setParameter(2, String.valueOf(failure.getClass().getSimpleName()))
                    .getSingleResult()).intValue());
            if (attempts >= MAX_ATTEMPTS) {
                LOG.error("Webhook delivery {} failed {} times and is given up; replay it by resetting its attempts",
                        inboxId, attempts, failure);
            } else {
                LOG.warn("Webhook delivery {} failed; it will be retried", inboxId, failure);
            }
        }
    }

    private void handle(UUID trustedWorkspace, String payload, String signature, Set<InboundReceived> touched,
                        Set<ConversationChanged> changed) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (Exception malformed) {
            LOG.warn("Webhook payload is not JSON; ignored");
            return;
        }
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                if (!"messages".equals(change.path("field").asText())) {
                    continue;
                }
                String phoneNumberId = value.path("metadata").path("phone_number_id").asText();
                UUID workspaceId = trustedWorkspace != null ? trustedWorkspace : route(phoneNumberId, payload, signature);
                if (workspaceId == null) {
                    continue;
                }
                status.webhookReceived(trustedWorkspace != null ? "simulated" : phoneNumberId);
                Map<String, JsonNode> contacts = new HashMap<>();
                for (JsonNode contact : value.path("contacts")) {
                    contacts.put(contact.path("wa_id").asText(contact.path("user_id").asText()), contact);
                }
                for (JsonNode message : value.path("messages")) {
                    message(workspaceId, message, contacts, touched, changed);
                }
                for (JsonNode status : value.path("statuses")) {
                    JsonNode error = status.path("errors").path(0);
                    conversations.advanceStatus(workspaceId, status.path("id").asText(), status.path("status").asText(),
                                    error.has("code") ? error.path("code").asInt() : null,
                                    error.has("title") ? error.path("title").asText() : null)
                            .ifPresent(id -> changed.add(new ConversationChanged(workspaceId, id, "message-status", null)));
                }
            }
        }
    }

    private UUID route(String phoneNumberId, String payload, String signature) {
        return accounts.byPhoneNumber(phoneNumberId)
                .filter(a -> WebhookSignature.matches(payload.getBytes(StandardCharsets.UTF_8), signature, a.appSecret()))
                .map(WhatsAppAccount::workspaceId)
                .orElseGet(() -> {
                    LOG.warn("Webhook for phone number id {} matches no account signed by its app secret; ignored",
                            phoneNumberId);
                    return null;
                });
    }

    private void message(UUID workspaceId, JsonNode message, Map<String, JsonNode> contacts, Set<InboundReceived> touched,
                         Set<ConversationChanged> changed) {
        String from = text(message, "from");
        JsonNode contact = contacts.getOrDefault(from, json.createObjectNode());
        String bsuid = text(message, "from_user_id") != null ? text(message, "from_user_id") : text(contact, "user_id");
        String type = message.path("type").asText("unknown");
        if ("system".equals(type)) {
            JsonNode system = message.path("system");
            switch (system.path("type").asText()) {
                case "user_changed_number" -> customers.changeNumber(workspaceId, bsuid, from, text(system, "wa_id"));
                case "user_changed_user_id" -> customers.changeUserId(workspaceId, bsuid,
                        text(system, "user_id") != null ? text(system, "user_id") : text(system, "new_user_id"), from);
                default -> LOG.info("System message {} ignored", system.path("type").asText());
            }
            return;
        }
        String name = contact.path("profile").path("name").asText(null);
        Customer customer = customers.identify(workspaceId, bsuid, from, name);
        OpenConversation conversation = conversations.openFor(workspaceId, customer.id());
        String wamid = text(message, "id");
        if (wamid == null) {
            return;
        }
        String metaMediaId = media(message, type);
        UUID mediaId = null;
        if (metaMediaId != null) {
            JsonNode described = message.path(type);
            mediaId = media.recordInbound(workspaceId, metaMediaId, text(described, "mime_type"), text(described, "filename"));
            UUID announced = mediaId;
            transactions.afterCommit(() -> mediaAnnounced.fire(new MediaAnnounced(workspaceId, announced)));
        }
        boolean stored = conversations.recordInbound(workspaceId, conversation.id(), customer.id(), wamid, type,
                body(message, type), metaMediaId, mediaId).isPresent();
        if (stored) {
            long seconds = message.path("timestamp").asLong(Instant.now().getEpochSecond());
            customers.touchInbound(workspaceId, customer.id(), Instant.ofEpochSecond(Math.min(seconds,
                    Instant.now().getEpochSecond())));
            touched.add(new InboundReceived(workspaceId, customer.id()));
            changed.add(new ConversationChanged(workspaceId, conversation.id(), "message", null));
        }
    }

    private static String body(JsonNode message, String type) {
        return switch (type) {
            case "text" -> message.path("text").path("body").asText("");
            case "button" -> message.path("button").path("text").asText("");
            case "interactive" -> message.path("interactive").path("button_reply").path("title")
                    .asText(message.path("interactive").path("list_reply").path("title").asText(""));
            case "location" -> message.path("location").path("latitude").asText() + ","
                    + message.path("location").path("longitude").asText();
            default -> message.path(type).path("caption").asText(null);
        };
    }

    private static String media(JsonNode message, String type) {
        return switch (type) {
            case "image", "document", "audio", "video", "sticker" -> message.path(type).path("id").asText(null);
            default -> null;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    @SuppressWarnings("unchecked")
    private void sweep() {
        // Rows queued on this node are skipped (enqueue); the sweep rescues what a crash or another node left.
        try {
            List<Tuple> stale = transactions.read(() -> transactions.entityManager().createNativeQuery("""
                            select id, sender from webhook_inbox
                            where processed_at is null and attempts < ?1 and received_at < now() - interval '2 seconds'
                            order by id limit 200""", Tuple.class)
                    .setParameter(1, MAX_ATTEMPTS).getResultList());
            stale.forEach(row -> enqueue(((Number) row.get(0)).longValue(), row.get(1, String.class)));
        } catch (RuntimeException failure) {
            LOG.warn("Webhook sweep failed", failure);
        }
    }
}
