package br.com.reistech.conversations;

import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.persistence.Transactions;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversations (BOT, QUEUED, ACTIVE, CLOSED; at most one open per customer) and their messages.
 * Methods join the caller's transaction: the webhook processor, the bot and the sender compose them.
 */
@ApplicationScoped
public class ConversationService {

    /** Rank of each delivery status: a status update never moves a message backwards. */
    public static int rank(String status) {
        return switch (status) {
            case "sent" -> 1;
            case "delivered" -> 2;
            case "read" -> 3;
            case "failed" -> 4;
            default -> 0;
        };
    }

    private static final TypeReference<List<ConversationView>> LIST = new TypeReference<>() {
    };
    private static final int CACHED = 1000;
    private static final String QUEUE = "queue";
    private static final String ACTIVE = "active";

    private final Transactions transactions;
    private final ConversationRepository conversations;
    private final CacheService cache;

    @Inject
    public ConversationService(Transactions transactions, ConversationRepository conversations, CacheService cache) {
        this.transactions = transactions;
        this.conversations = conversations;
        this.cache = cache;
    }

    /** The customer's open conversation, opened (in BOT) when there is none. */
    public OpenConversation openFor(UUID workspaceId, UUID customerId) {
        return transactions.write(() -> {
            Optional<OpenConversation> open = conversations.open(workspaceId, customerId);
            if (open.isPresent()) {
                return open.get();
            }
            conversations.insertIfNoneOpen(workspaceId, customerId);
            return conversations.open(workspaceId, customerId).orElseThrow();
        });
    }

    /** True when the agent holds the customer's active conversation. */
    public boolean holds(UUID workspaceId, UUID customerId, UUID agentId) {
        return transactions.read(() -> conversations.holds(workspaceId, customerId, agentId));
    }

    public void setStatus(UUID workspaceId, UUID conversationId, String status) {
        transactions.write(() -> {
            conversations.setStatus(workspaceId, conversationId, status);
            moved(workspaceId);
            return null;
        });
    }

    public Optional<Long> recordInbound(UUID workspaceId, UUID conversationId, UUID customerId, String wamid,
                                       String type, String body, String mediaRef, UUID mediaId) {
        return transactions.write(() -> conversations.insertInbound(workspaceId, conversationId, customerId, wamid,
                type, body, mediaRef, mediaId));
    }

    public long recordOutbound(UUID workspaceId, UUID conversationId, UUID customerId, String type, String body,
                               UUID senderUserId, UUID mediaId) {
        return transactions.write(() -> conversations.insertOutbound(workspaceId, conversationId, customerId, type,
                body, senderUserId, mediaId));
    }

    /** The customer's oldest unhandled inbound messages, at most {@code limit}. */
    public List<MessageView> unprocessed(UUID workspaceId, UUID customerId, int limit) {
        return transactions.write(() -> conversations.unprocessed(workspaceId, customerId, limit));
    }

    public void markProcessed(long messageId, long sequence) {
        transactions.write(() -> {
            conversations.markProcessed(messageId, sequence);
            return null;
        });
    }

    /** Claims the customer's oldest pending reply (its own short transaction); empty when none or another sender holds it. */
    public Optional<ClaimedMessage> claimOldestPending(UUID workspaceId, UUID customerId, Duration lapse) {
        return transactions.write(() -> conversations.claimOldestPending(workspaceId, customerId, lapse));
    }

    /** Claims a pending message for one sender (its own short transaction); the claim lapses after {@code lapse}. */
    public Optional<ClaimedMessage> claim(UUID workspaceId, long id, Duration lapse) {
        return transactions.write(() -> conversations.claim(workspaceId, id, lapse));
    }

    public void unclaim(long id) {
        transactions.write(() -> {
            conversations.unclaim(id);
            return null;
        });
    }

    public Optional<MessageView> message(UUID workspaceId, long id) {
        return transactions.read(() -> conversations.message(workspaceId, id));
    }

    /**
     * Records a claimed message's outcome: sent with Meta's {@code wamid}, or, when that is null,
     * failed with Meta's error. Then, when {@code nextFor} is a customer, claims that customer's
     * oldest pending reply in the same transaction, so a sender draining a customer commits once per
     * reply; empty when none is pending, none was asked for, or another sender holds it.
     */
    public Optional<ClaimedMessage> recordOutcome(long id, String wamid, Integer code, String title, UUID workspaceId,
                                                  UUID nextFor, Duration lapse) {
        return transactions.write(() -> {
            if (wamid != null) {
                conversations.markSent(id, wamid);
            } else {
                conversations.markFailed(id, code, title);
            }
            return nextFor == null ? Optional.empty() : conversations.claimOldestPending(workspaceId, nextFor, lapse);
        });
    }

    /** Applies a delivery status; returns the conversation when the message moved forward. */
    public Optional<UUID> advanceStatus(UUID workspaceId, String wamid, String status, Integer code, String title) {
        return transactions.write(() -> conversations.advanceStatus(workspaceId, wamid, status, rank(status), code,
                title));
    }

    public Optional<ConversationView> find(UUID workspaceId, UUID id) {
        return transactions.read(() -> conversations.find(workspaceId, id));
    }

    /**
     * The first {@code limit} (at most {@value #CACHED}) of the human queue, cached (HUMAN_QUEUE) until
     * the next movement; wait figures may lag by up to the TTL.
     */
    public List<ConversationView> queued(UUID workspaceId, int limit) {
        List<ConversationView> queue = cache.getOrSet(CacheKind.HUMAN_QUEUE, workspaceId, QUEUE, LIST,
                () -> transactions.read(() -> conversations.queued(workspaceId, CACHED)));
        return queue.size() > limit ? queue.subList(0, limit) : queue;
    }

    /**
     * Conversations by status (all agents' when {@code agentId} is null). The workspace's active
     * conversations are cached as one list (ACTIVE_CONVERSATIONS) and filtered per agent, so one key
     * is all a movement has to drop; a workspace with more than {@value #CACHED} reads them directly.
     */
    public List<ConversationView> list(UUID workspaceId, String status, UUID agentId, int limit) {
        if ("ACTIVE".equals(status)) {
            List<ConversationView> active = cache.getOrSet(CacheKind.ACTIVE_CONVERSATIONS, workspaceId, ACTIVE, LIST,
                    () -> transactions.read(() -> conversations.list(workspaceId, status, null, CACHED + 1)));
            if (active.size() <= CACHED) {
                return active.stream().filter(c -> agentId == null || agentId.equals(c.assignedAgentId()))
                        .limit(limit).toList();
            }
        }
        return transactions.read(() -> conversations.list(workspaceId, status, agentId, limit));
    }

    public List<MessageView> messages(UUID workspaceId, UUID conversationId, Long before, int limit) {
        return transactions.read(() -> conversations.messages(workspaceId, conversationId, before, limit));
    }

    /** The following state changes join the caller's transaction and return whether they applied. */
    public boolean assignIfQueued(UUID workspaceId, UUID id, UUID agentId) {
        return moved(workspaceId, conversations.assignIfQueued(workspaceId, id, agentId));
    }

    public boolean reassignIfActive(UUID workspaceId, UUID id, UUID fromAgent, UUID toAgent) {
        return moved(workspaceId, conversations.reassignIfActive(workspaceId, id, fromAgent, toAgent));
    }

    public boolean requeueIfActive(UUID workspaceId, UUID id, UUID agentId) {
        return moved(workspaceId, conversations.requeueIfActive(workspaceId, id, agentId));
    }

    public boolean closeIfOpen(UUID workspaceId, UUID id, UUID agentId, UUID closedBy) {
        return moved(workspaceId, conversations.closeIfOpen(workspaceId, id, agentId, closedBy));
    }

    private boolean moved(UUID workspaceId, int rows) {
        if (rows == 1) {
            moved(workspaceId);
        }
        return rows == 1;
    }

    /** The queue and the active list change: dropped from the cache once the transaction commits. */
    private void moved(UUID workspaceId) {
        cache.invalidate(CacheKind.HUMAN_QUEUE, workspaceId, QUEUE);
        cache.invalidate(CacheKind.ACTIVE_CONVERSATIONS, workspaceId, ACTIVE);
    }

    public long countActive(UUID workspaceId, UUID agentId) {
        return conversations.countActive(workspaceId, agentId);
    }

    public List<Holding> holdings(int limit) {
        return transactions.read(() -> conversations.holdings(limit));
    }

    public List<UUID> workspacesWithQueue() {
        return transactions.read(conversations::workspacesWithQueue);
    }

    public void markFirstResponse(UUID workspaceId, UUID id) {
        transactions.write(() -> {
            conversations.markFirstResponse(workspaceId, id);
            cache.invalidate(CacheKind.ACTIVE_CONVERSATIONS, workspaceId, ACTIVE);
            return null;
        });
    }

    /** (workspace, customer) pairs whose inbound messages wait longer than {@code seconds}. */
    public List<UUID[]> customersWithStaleInbound(int seconds) {
        return transactions.read(() -> conversations.customersWithStaleInbound(seconds));
    }

    /** (workspace, customer) pairs whose outbound messages are pending longer than {@code seconds}. */
    public List<UUID[]> customersWithStalePending(int seconds) {
        return transactions.read(() -> conversations.customersWithStalePending(seconds));
    }

    public List<MessageView> latest(UUID workspaceId, UUID customerId, String direction, int limit) {
        return transactions.read(() -> conversations.latest(workspaceId, customerId, direction, limit));
    }
}
