package br.com.reistech.bot;

import br.com.reistech.catalog.CatalogService;
import br.com.reistech.catalog.CatalogSort;
import br.com.reistech.cms.CmsService;
import br.com.reistech.conversations.ConversationChanged;
import br.com.reistech.realtime.EventOutbox;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.MessageView;
import br.com.reistech.conversations.OpenConversation;
import br.com.reistech.customers.Customer;
import br.com.reistech.customers.CustomerService;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.workspaces.WorkspaceService;
import br.com.reistech.workspaces.WorkspaceView;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;

/**
 * Runs the chatbot over a customer's messages one at a time, in arrival order, exactly once, on
 * whichever node gets there: a Redisson lock per customer keeps other nodes from spinning, and the
 * customer row, locked in each transaction and versioned, is the fence that makes a stale lock
 * holder harmless. Each message's turn (replies recorded, state saved, message marked processed)
 * commits as one transaction; {@link BotWorkers} then has the replies sent, in order. The bot stays silent while a
 * person owns the conversation or it waits in the queue.
 */
@ApplicationScoped
public class BotService {

    private static final Logger LOG = LogManager.getLogger(BotService.class);

    private final Transactions transactions;
    private final CustomerService customers;
    private final ConversationService conversations;
    private final WorkspaceService workspaces;
    private final CmsService cms;
    private final CatalogService catalog;
    private final RedissonClient redis;
    private final Clock clock;
    private final Chatbot chatbot;
    private final EventOutbox events;

    @Inject
    public BotService(Transactions transactions, CustomerService customers, ConversationService conversations,
                      WorkspaceService workspaces, CmsService cms, CatalogService catalog,
                      RedissonClient redis, Clock clock, ObjectMapper json, EventOutbox events) {
        this.events = events;
        this.transactions = transactions;
        this.customers = customers;
        this.conversations = conversations;
        this.workspaces = workspaces;
        this.cms = cms;
        this.catalog = catalog;
        this.redis = redis;
        this.clock = clock;
        this.chatbot = new Chatbot(json);
    }

    /** Handles every waiting message of the customer; the replies are left pending for the sender. */
    public void drain(UUID workspaceId, UUID customerId) {
        RLock lock = null;
        boolean locked = false;
        try {
            lock = redis.getLock("lock:customer:" + customerId);
            locked = lock.tryLock(10, 60, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException redisDown) {
            LOG.debug("Customer lock unavailable; the database fence alone serialises", redisDown);
        }
        try {
            while (handleNext(workspaceId, customerId)) {
                // one message per transaction, oldest first, while another is seen waiting
            }
        } finally {
            if (locked) {
                unlock(lock, customerId);
            }
        }
    }

    /**
     * Lets the customer's lock go in one call to Redis (asking first whether it is still held would be
     * a second). Its lease may have run out during a long drain: the database fence made that
     * harmless. When Redis does not answer, the lock stays until its lease ends, and the customer's
     * next drain waits for it.
     */
    private static void unlock(RLock lock, UUID customerId) {
        try {
            lock.unlock();
        } catch (IllegalMonitorStateException leaseOver) {
            LOG.debug("Customer {} lock's lease had already run out", customerId);
        } catch (RedisException unanswered) {
            LOG.warn("Customer {} lock not released, it lapses with its lease: {}", customerId, unanswered.getMessage());
        }
    }

    /**
     * Handles the customer's oldest waiting message; true when another was seen waiting behind it.
     * One that arrives after that look fires its own {@link br.com.reistech.whatsapp.InboundReceived},
     * which runs the bot again, so the drain needs no last, empty transaction to find out.
     */
    private boolean handleNext(UUID workspaceId, UUID customerId) {
        // Read-mostly settings and texts come from the cache, before the transaction (whose reads are not cached).
        WorkspaceView workspace = workspaces.find(workspaceId).orElseThrow();
        Map<String, String> texts = cms.texts(workspaceId);
        return transactions.write(() -> {
            Customer customer = customers.lock(workspaceId, customerId);
            List<MessageView> waiting = conversations.unprocessed(workspaceId, customerId, 2);
            if (waiting.isEmpty()) {
                return false;
            }
            MessageView message = waiting.get(0);
            OpenConversation conversation = conversations.openFor(workspaceId, customerId);
            String state = customer.fsmState();
            String data = customer.fsmData();
            if (!conversation.withHumans() && workspace.settings().bot().enabled() && "text".equals(message.type())) {
                Chatbot.Turn turn = chatbot.handle(context(workspace, customer, texts), state, data, message.body());
                for (String reply : turn.replies()) {
                    conversations.recordOutbound(workspaceId, conversation.id(), customerId, "text", reply, null, null);
                }
                if (turn.handoff()) {
                    conversations.setStatus(workspaceId, conversation.id(), "QUEUED");
                    events.record(new ConversationChanged(workspaceId, conversation.id(), "queued", null));
                } else if (turn.close()) {
                    conversations.setStatus(workspaceId, conversation.id(), "CLOSED");
                }
                state = turn.state();
                data = turn.data();
            }
            if (!customers.saveState(customer, state, data)) {
                throw new IllegalStateException("Customer " + customerId + " changed under its lock");
            }
            conversations.markProcessed(message.id(), customer.version() + 1);
            return waiting.size() > 1;
        });
    }

    private Chatbot.Context context(WorkspaceView workspace, Customer customer, Map<String, String> texts) {
        var settings = workspace.settings();
        return new Chatbot.Context(settings.bot(), workspace.name(), customer.name(),
                BusinessHours.isOpen(settings.businessHours(), clock.instant()),
                BusinessHours.describe(settings.businessHours()),
                key -> texts.getOrDefault(key, key),
                query -> catalog.search(workspace.id(), query, true, CatalogSort.parse("name"), 0, 5).items());
    }
}
