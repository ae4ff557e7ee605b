package br.com.reistech.realtime;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.conversations.ConversationChanged;
import br.com.reistech.persistence.Transactions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The transactional outbox of live events. {@link #record} writes a conversation change to
 * {@code event_outbox} inside the transaction that makes the change, so the two commit or roll back
 * together; after the commit this node publishes the event at once ({@link EventHub}) and deletes the
 * row a moment later. A row that was not published (the node died after the commit, Redis did not
 * answer) is published by the sweep of any node, once it is {@value #GRACE_SECONDS} seconds old.
 * Redis remembers for ten minutes which rows it has published, so neither two nodes sweeping the
 * same row nor a node that died between publishing a row and deleting it publish it twice; the sweep
 * therefore holds no row locks while it waits for Redis. Rows older than a day (longer than the
 * replay window) are dropped unpublished.
 */
@ApplicationScoped
public class EventOutbox {

    private static final Logger LOG = LogManager.getLogger(EventOutbox.class);
    private static final int GRACE_SECONDS = 5;
    private static final int BATCH = 200;
    private static final long SWEEP_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Transactions transactions;
    private final EventHub hub;
    private final Queue<Long> published = new ConcurrentLinkedQueue<>();
    private final OwnedThreads threads = new OwnedThreads("reistech-outbox");
    private final ScheduledExecutorService sweeper = new ScheduledThreadPoolExecutor(1, threads);

    @Inject
    public EventOutbox(Transactions transactions, EventHub hub) {
        this.transactions = transactions;
        this.hub = hub;
    }

    /** Starts the sweep (every second); called once by the composition root. */
    public void start() {
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        threads.stop(10, List.of(sweeper));
    }

    /** Records {@code change} in the running transaction; it is published once that transaction commits. */
    public void record(ConversationChanged change) {
        long id = ((Number) transactions.entityManager().createNativeQuery("""
                        insert into event_outbox (workspace_id, conversation_id, kind, agent_id, previous_agent_id)
                        values (?1, ?2, ?3, ?4, ?5) returning id""")
                .setParameter(1, change.workspaceId()).setParameter(2, change.conversationId())
                .setParameter(3, change.kind()).setParameter(4, change.agentId())
                .setParameter(5, change.previousAgentId()).getSingleResult()).longValue();
        transactions.afterCommit(() -> hub.publish(id, change).thenRun(() -> published.add(id)));
    }

    private void sweep() {
        try {
            forgetPublished();
            publishLeftBehind();
        } catch (RuntimeException failure) {
            LOG.warn("Event outbox sweep failed: {}", failure.getMessage());
        }
    }

    /** Deletes the rows this node has published. */
    private void forgetPublished() {
        List<Long> ids = new ArrayList<>();
        for (Long id = published.poll(); id != null; id = published.poll()) {
            ids.add(id);
            if (ids.size() == 1000) {
                delete(ids);
                ids.clear();
            }
        }
        if (!ids.isEmpty()) {
            delete(ids);
        }
    }

    /** Deletes published rows; when the database refuses, their ids wait for the next sweep. */
    private void delete(List<Long> ids) {
        try {
            transactions.write(() -> transactions.entityManager()
                    .createNativeQuery("delete from event_outbox where id in (:ids)")
                    .setParameter("ids", ids).executeUpdate());
        } catch (RuntimeException failure) {
            published.addAll(ids);
            throw failure;
        }
    }

    @SuppressWarnings("unchecked")
    private void publishLeftBehind() {
        List<Tuple> rows = transactions.write(() -> {
            int dropped = transactions.entityManager()
                    .createNativeQuery("delete from event_outbox where created_at < now() - interval '1 day'")
                    .executeUpdate();
            if (dropped > 0) {
                LOG.warn("{} live events older than a day dropped unpublished", dropped);
            }
            return transactions.entityManager().createNativeQuery("""
                            select id, workspace_id, conversation_id, kind, agent_id, previous_agent_id from event_outbox
                            where created_at < now() - make_interval(secs => ?1) order by id limit ?2""", Tuple.class)
                    .setParameter(1, GRACE_SECONDS).setParameter(2, BATCH).getResultList();
        });
        long deadline = System.nanoTime() + SWEEP_BUDGET_NANOS;
        List<Long> done = new ArrayList<>();
        for (Tuple row : rows) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            ConversationChanged change = new ConversationChanged(row.get(1, UUID.class), row.get(2, UUID.class),
                    row.get(3, String.class), row.get(4, UUID.class), row.get(5, UUID.class));
            long id = ((Number) row.get(0)).longValue();
            try {
                hub.publish(id, change).toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
                done.add(id);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception unpublished) {
                break; // Redis is not answering: the rest waits for the next sweep
            }
        }
        if (!done.isEmpty()) {
            delete(done);
            LOG.info("{} live events left behind after their commit were published", done.size());
        }
    }
}
