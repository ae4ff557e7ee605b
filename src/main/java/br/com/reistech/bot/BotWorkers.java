package br.com.reistech.bot;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.config.AppConfig;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.whatsapp.InboundReceived;
import br.com.reistech.whatsapp.OutboundSender;
import br.com.reistech.whatsapp.SentByPerson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The threads that run the bot and, separately, those that send its replies
 * ({@code WHATSAPP_WORKERS} of each), so pacing never holds up the bot. A customer is queued at
 * most once at a time in each; a message arriving during a run queues the customer again. A sweep
 * every five seconds recovers what a crash or another node left behind: unhandled inbound messages
 * and unsent replies.
 */
@ApplicationScoped
public class BotWorkers {

    private static final Logger LOG = LogManager.getLogger(BotWorkers.class);

    private final BotService bot;
    private final OutboundSender sender;
    private final ConversationService conversations;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor senders;
    private final OwnedThreads threads = new OwnedThreads("reistech-bot");
    private final ScheduledExecutorService sweeper = new ScheduledThreadPoolExecutor(1, threads);
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    private final Set<UUID> sending = ConcurrentHashMap.newKeySet();

    @Inject
    public BotWorkers(BotService bot, OutboundSender sender, ConversationService conversations, AppConfig config) {
        this.bot = bot;
        this.sender = sender;
        this.conversations = conversations;
        int size = config.whatsapp().workers();
        this.workers = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        this.senders = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    }

    /** Starts the recovery sweep; called once by the composition root. */
    public void start() {
        sweeper.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        threads.stop(30, List.of(sweeper, workers, senders));
    }

    void onInbound(@Observes InboundReceived received) {
        schedule(received.workspaceId(), received.customerId());
    }

    void onSentByPerson(@Observes SentByPerson sent) {
        send(sent.workspaceId(), sent.customerId());
    }

    private void schedule(UUID workspaceId, UUID customerId) {
        if (!queued.add(customerId) || workers.isShutdown()) {
            return;
        }
        workers.execute(() -> {
            queued.remove(customerId);
            try {
                bot.drain(workspaceId, customerId);
            } catch (RuntimeException failure) {
                LOG.warn("Bot run for customer {} failed; the sweep retries it", customerId, failure);
            }
            send(workspaceId, customerId);
        });
    }

    /** Sending runs on its own threads: pacing waits must not hold up the bot. */
    private void send(UUID workspaceId, UUID customerId) {
        if (!sending.add(customerId) || senders.isShutdown()) {
            return;
        }
        senders.execute(() -> {
            sending.remove(customerId);
            try {
                sender.flush(workspaceId, customerId);
            } catch (RuntimeException failure) {
                LOG.warn("Sending to customer {} failed; the sweep retries it", customerId, failure);
            }
        });
    }

    private void sweep() {
        try {
            conversations.customersWithStaleInbound(5).forEach(pair -> schedule(pair[0], pair[1]));
            conversations.customersWithStalePending(10).forEach(pair -> send(pair[0], pair[1]));
        } catch (RuntimeException failure) {
            LOG.warn("Bot sweep failed", failure);
        }
    }
}
