package br.com.reistech.conversations;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import java.util.UUID;

/** Conversations and their messages; every query takes the workspace id first. */
@ApplicationScoped
public class ConversationRepository {

    private static final String MESSAGE_COLUMNS = """
            id, conversation_id, customer_id, direction, wamid, type, body, status, error_code, error_title, created_at,
            media_id""";

    private final Transactions transactions;

    @Inject
    public ConversationRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    @SuppressWarnings("unchecked")
    Optional<OpenConversation> open(UUID workspaceId, UUID customerId) {
        List<Tuple> rows = transactions.entityManager().createNativeQuery("""
                        select id, status from conversation
                        where workspace_id = ?1 and customer_id = ?2 and status <> 'CLOSED'""", Tuple.class)
                .setParameter(1, workspaceId).setParameter(2, customerId).getResultList();
        return rows.stream().findFirst().map(t -> new OpenConversation(t.get(0, UUID.class), t.get(1, String.class)));
    }

    void insertIfNoneOpen(UUID workspaceId, UUID customerId) {
        transactions.entityManager().createNativeQuery("""
                        insert into conversation (id, workspace_id, customer_id, status) values (?1, ?2, ?3, 'BOT')
                        on conflict (customer_id) where status <> 'CLOSED' do nothing""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, workspaceId).setParameter(3, customerId)
                .executeUpdate();
    }

    void setStatus(UUID workspaceId, UUID id, String status) {
        transactions.entityManager().createNativeQuery("""
                        update conversation set status = ?3, version = version + 1,
                               queued_at = case when ?3 = 'QUEUED' then now() else queued_at end,
                               closed_at = case when ?3 = 'CLOSED' then now() else closed_at end
                        where workspace_id = ?1 and id = ?2""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, status).executeUpdate();
    }

    private static final String VIEW = """
            select v.id, v.customer_id, c.name, c.wa_id, v.status, v.assigned_agent_id, v.priority, v.queued_at,
                   v.assigned_at, v.first_response_at, v.closed_at, v.created_at,
                   case when v.queued_at is null then null
                        else extract(epoch from coalesce(v.assigned_at, now()) - v.queued_at)::bigint end,
                   extract(epoch from v.first_response_at - v.assigned_at)::bigint,
                   extract(epoch from coalesce(v.closed_at, now()) - v.assigned_at)::bigint
            from conversation v join customer c on c.id = v.customer_id and c.workspace_id = v.workspace_id
            """;

    Optional<ConversationView> find(UUID workspaceId, UUID id) {
        return views("where v.workspace_id = ?1 and v.id = ?2", 1, workspaceId, id).stream().findFirst();
    }

    /** The workspace's queue: highest priority first, then longest wait. */
    List<ConversationView> queued(UUID workspaceId, int limit) {
        return views("where v.workspace_id = ?1 and v.status = 'QUEUED' order by v.priority desc, v.queued_at asc, v.id",
                limit, workspaceId);
    }

    /** Conversations with a status, optionally of one agent, newest first. */
    List<ConversationView> list(UUID workspaceId, String status, UUID agentId, int limit) {
        return agentId == null
                ? views("where v.workspace_id = ?1 and v.status = ?2 order by v.created_at desc, v.id", limit, workspaceId, status)
                : views("where v.workspace_id = ?1 and v.status = ?2 and v.assigned_agent_id = ?3 "
                        + "order by v.created_at desc, v.id", limit, workspaceId, status, agentId);
    }

    @SuppressWarnings("unchecked")
    private List<ConversationView> views(String where, int limit, Object... parameters) {
        var query = transactions.entityManager().createNativeQuery(VIEW + where + " limit " + limit, Tuple.class);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<Tuple> rows = query.getResultList();
        return rows.stream().map(t -> new ConversationView(t.get(0, UUID.class), t.get(1, UUID.class),
                t.get(2, String.class), t.get(3, String.class), t.get(4, String.class), t.get(5, UUID.class),
                ((Number) t.get(6)).intValue(), t.get(7, Instant.class), t.get(8, Instant.class),
                t.get(9, Instant.class), t.get(10, Instant.class), t.get(11, Instant.class), longOrNull(t.get(12)),
                longOrNull(t.get(13)), longOrNull(t.get(14)))).toList();
    }

    private static Long longOrNull(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    /** Gives a queued conversation to an agent; 1 when this call won it, 0 when it was not queued. */
    int assignIfQueued(UUID workspaceId, UUID id, UUID agentId) {
        return transactions.entityManager().createNativeQuery("""
                        update conversation set status = 'ACTIVE', assigned_agent_id = ?3, assigned_at = now(),
                               version = version + 1
                        where workspace_id = ?1 and id = ?2 and status = 'QUEUED'""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, agentId).executeUpdate();
    }

    /** Moves an active conversation to another agent; 0 when it is not active (or not {@code fromAgent}'s). */
    int reassignIfActive(UUID workspaceId, UUID id, UUID fromAgent, UUID toAgent) {
        return transactions.entityManager().createNativeQuery("""
                        update conversation set assigned_agent_id = ?4, assigned_at = now(), first_response_at = null,
                               version = version + 1
                        where workspace_id = ?1 and id = ?2 and status = 'ACTIVE'
                          and (cast(?3 as uuid) is null or assigned_agent_id = ?3)""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, fromAgent).setParameter(4, toAgent)
                .executeUpdate();
    }

    /** Back to the queue, keeping its place; 0 when it is not active (or not {@code agentId}'s). */
    int requeueIfActive(UUID workspaceId, UUID id, UUID agentId) {
        return transactions.entityManager().createNativeQuery("""
                        update conversation set status = 'QUEUED', assigned_agent_id = null, assigned_at = null,
                               first_response_at = null, version = version + 1
                        where workspace_id = ?1 and id = ?2 and status = 'ACTIVE'
                          and (cast(?3 as uuid) is null or assigned_agent_id = ?3)""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, agentId).executeUpdate();
    }

    /** Closes an open conversation (only {@code agentId}'s when given); 0 when that is not possible. */
    int closeIfOpen(UUID workspaceId, UUID id, UUID agentId, UUID closedBy) {
        return transactions.entityManager().createNativeQuery("""
                        update conversation set status = 'CLOSED', closed_at = now(), closed_by = ?4,
                               version = version + 1
                        where workspace_id = ?1 and id = ?2 and status <> 'CLOSED'
                          and (cast(?3 as uuid) is null or assigned_agent_id = ?3)""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, agentId).setParameter(4, closedBy)
                .executeUpdate();
    }

    boolean holds(UUID workspaceId, UUID customerId, UUID agentId) {
        return !transactions.entityManager().createNativeQuery("""
                        select 1 from conversation
                        where workspace_id = ?1 and customer_id = ?2 and assigned_agent_id = ?3 and status = 'ACTIVE'""")
                .setParameter(1, workspaceId).setParameter(2, customerId).setParameter(3, agentId)
                .getResultList().isEmpty();
    }

    long countActive(UUID workspaceId, UUID agentId) {
        return ((Number) transactions.entityManager().createNativeQuery(
                        "select count(*) from conversation where workspace_id = ?1 and assigned_agent_id = ?2 and status = 'ACTIVE'")
                .setParameter(1, workspaceId).setParameter(2, agentId).getSingleResult()).longValue();
    }

    /** Every active conversation of the installation, oldest assignment first: the queue sweep's input. */
    @SuppressWarnings("unchecked")
    List<Holding> holdings(int limit) {
        List<Tuple> rows = transactions.entityManager().createNativeQuery("""
                        select workspace_id, assigned_agent_id, id, assigned_at from conversation
                        where status = 'ACTIVE' order by assigned_at limit ?1""", Tuple.class)
                .setParameter(1, limit).getResultList();
        return rows.stream().map(t -> new Holding(t.get(0, UUID.class), t.get(1, UUID.class), t.get(2, UUID.class),
                t.get(3, Instant.class))).toList();
    }

    /** Workspaces with at least one queued conversation. */
    @SuppressWarnings("unchecked")
    List<UUID> workspacesWithQueue() {
        return transactions.entityManager()
                .createNativeQuery("select distinct workspace_id from conversation where status = 'QUEUED'", UUID.class)
                .getResultList();
    }

    void markFirstResponse(UUID workspaceId, UUID id) {
        transactions.entityManager().createNativeQuery(
                        "update conversation set first_response_at = now() where workspace_id = ?1 and id = ?2 "
                                + "and first_response_at is null and status = 'ACTIVE'")
                .setParameter(1, workspaceId).setParameter(2, id).executeUpdate();
    }

    /** A page of a conversation's messages, newest first, older than the {@code before} message id. */
    List<MessageView> messages(UUID workspaceId, UUID conversationId, Long before, int limit) {
        return messages("where workspace_id = ?1 and conversation_id = ?2 and id < " + (before == null ? Long.MAX_VALUE : before)
                + " order by id desc limit " + limit, workspaceId, conversationId);
    }

    /** Inserts an inbound message unless its wamid is already stored; returns its id when inserted. */
    @SuppressWarnings("unchecked")
    Optional<Long> insertInbound(UUID workspaceId, UUID conversationId, UUID customerId, String wamid, String type,
                                 String body, String mediaRef, UUID mediaId) {
        List<Number> ids = transactions.entityManager().createNativeQuery("""
                        insert into message (workspace_id, conversation_id, customer_id, direction, wamid, type, body,
                                             media_ref, media_id, status)
                        values (?1, ?2, ?3, 'IN', ?4, ?5, ?6, ?7, ?8, 'received')
                        on conflict (wamid) do nothing returning id""")
                .setParameter(1, workspaceId).setParameter(2, conversationId).setParameter(3, customerId)
                .setParameter(4, wamid).setParameter(5, type).setParameter(6, body).setParameter(7, mediaRef)
                .setParameter(8, mediaId)
                .getResultList();
        return ids.stream().findFirst().map(Number::longValue);
    }

    long insertOutbound(UUID workspaceId, UUID conversationId, UUID customerId, String type, String body,
                        UUID senderUserId, UUID mediaId) {
        return ((Number) transactions.entityManager().createNativeQuery("""
                        insert into message (workspace_id, conversation_id, customer_id, direction, type, body, status,
                                             sender_user_id, media_id)
                        values (?1, ?2, ?3, 'OUT', ?4, ?5, 'pending', ?6, ?7) returning id""")
                .setParameter(1, workspaceId).setParameter(2, conversationId).setParameter(3, customerId)
                .setParameter(4, type).setParameter(5, body).setParameter(6, senderUserId).setParameter(7, mediaId)
                .getSingleResult()).longValue();
    }

    /** The customer's oldest unhandled inbound messages, at most {@code limit}. */
    List<MessageView> unprocessed(UUID workspaceId, UUID customerId, int limit) {
        return messages("""
                where workspace_id = ?1 and customer_id = ?2 and direction = 'IN' and processed_at is null
                order by id limit %d""".formatted(limit), workspaceId, customerId);
    }

    void markProcessed(long messageId, long sequence) {
        transactions.entityManager().createNativeQuery(
                        "update message set processed_at = now(), processed_seq = ?2 where id = ?1")
                .setParameter(1, messageId).setParameter(2, sequence).executeUpdate();
    }

    /**
     * Claims the customer's oldest pending outbound message for one sender, in one statement. Empty
     * when none is pending, or when another sender holds the oldest: replies leave in order, so the
     * next one waits for it.
     */
    Optional<ClaimedMessage> claimOldestPending(UUID workspaceId, UUID customerId, Duration lapse) {
        return claimWhere("""
                id = (select id from message
                      where workspace_id = ?1 and customer_id = ?2 and direction = 'OUT' and status = 'pending'
                      order by id limit 1)""", workspaceId, customerId, lapse);
    }

    /** Claims a pending message for one sender; empty when it is not pending or another sender holds it. */
    Optional<ClaimedMessage> claim(UUID workspaceId, long id, Duration lapse) {
        return claimWhere("workspace_id = ?1 and id = ?2", workspaceId, id, lapse);
    }

    /**
     * A claim lapses after {@code lapse}: its sender is presumed dead and the message is sent by
     * another. The customer's address comes with it, as it is when claimed.
     */
    @SuppressWarnings("unchecked")
    private Optional<ClaimedMessage> claimWhere(String which, UUID workspaceId, Object key, Duration lapse) {
        List<Tuple> rows = transactions.entityManager().createNativeQuery("""
                        update message set claimed_at = now()
                        where %s and status = 'pending'
                          and (claimed_at is null or claimed_at < now() - make_interval(secs => ?3))
                        returning %s,
                            (select coalesce(c.wa_id, c.bsuid) from customer c where c.id = message.customer_id) as address"""
                        .formatted(which, MESSAGE_COLUMNS), Tuple.class)
                .setParameter(1, workspaceId).setParameter(2, key).setParameter(3, (double) lapse.toSeconds())
                .getResultList();
        return rows.stream().findFirst().map(t -> new ClaimedMessage(view(t), t.get(12, String.class)));
    }

    /** Gives a claimed message back (the sender stopped before calling Meta). */
    void unclaim(long id) {
        transactions.entityManager().createNativeQuery("update message set claimed_at = null where id = ?1 and status = 'pending'")
                .setParameter(1, id).executeUpdate();
    }

    Optional<MessageView> message(UUID workspaceId, long id) {
        return messages("where workspace_id = ?1 and id = ?2", workspaceId, id).stream().findFirst();
    }

    void markSent(long id, String wamid) {
        transactions.entityManager().createNativeQuery("""
                        update message set wamid = ?2, sent_at = now(), updated_at = now(), claimed_at = null,
                               status = case when status = 'pending' then 'sent' else status end
                        where id = ?1""")
                .setParameter(1, id).setParameter(2, wamid).executeUpdate();
    }

    void markFailed(long id, Integer code, String title) {
        transactions.entityManager().createNativeQuery("""
                        update message set status = 'failed', error_code = ?2, error_title = ?3, updated_at = now(),
                               claimed_at = null
                        where id = ?1""")
                .setParameter(1, id).setParameter(2, code).setParameter(3, title).executeUpdate();
    }

    /** Applies a delivery status, only ever moving forward (pending < sent < delivered < read; failed last). */
    @SuppressWarnings("unchecked")
    Optional<UUID> advanceStatus(UUID workspaceId, String wamid, String status, int rank, Integer code, String title) {
        List<UUID> changed = transactions.entityManager().createNativeQuery("""
                        update message set status = ?3, error_code = coalesce(?5, error_code),
                               error_title = coalesce(?6, error_title), updated_at = now()
                        where workspace_id = ?1 and wamid = ?2 and direction = 'OUT'
                          and (case status when 'pending' then 0 when 'sent' then 1 when 'delivered' then 2
                                           when 'read' then 3 when 'failed' then 4 else 0 end) < ?4
                        returning conversation_id""")
                .setParameter(1, workspaceId).setParameter(2, wamid).setParameter(3, status).setParameter(4, rank)
                .setParameter(5, code).setParameter(6, title).getResultList();
        return changed.stream().findFirst();
    }

    /** Customers (any workspace) with inbound messages unhandled for longer than {@code seconds}: crash recovery. */
    @SuppressWarnings("unchecked")
    List<UUID[]> customersWithStaleInbound(int seconds) {
        return stale("direction = 'IN' and processed_at is null", seconds);
    }

    /** Customers (any workspace) with outbound messages pending for longer than {@code seconds}. */
    List<UUID[]> customersWithStalePending(int seconds) {
        return stale("direction = 'OUT' and status = 'pending'", seconds);
    }

    @SuppressWarnings("unchecked")
    private List<UUID[]> stale(String condition, int seconds) {
        List<Tuple> rows = transactions.entityManager().createNativeQuery(
                        "select distinct workspace_id, customer_id from message where " + condition
                                + " and created_at < now() - make_interval(secs => ?1) limit 500", Tuple.class)
                .setParameter(1, seconds).getResultList();
        return rows.stream().map(t -> new UUID[] {t.get(0, UUID.class), t.get(1, UUID.class)}).toList();
    }

    List<MessageView> latest(UUID workspaceId, UUID customerId, String direction, int limit) {
        String only = "IN".equals(direction) ? "IN" : "OUT";
        return messages("where workspace_id = ?1 and customer_id = ?2 and direction = '" + only
                + "' order by id desc limit " + Math.max(1, Math.min(limit, 500)), workspaceId, customerId);
    }

    @SuppressWarnings("unchecked")
    private List<MessageView> messages(String where, UUID workspaceId, Object key) {
        List<Tuple> rows = transactions.entityManager()
                .createNativeQuery("select " + MESSAGE_COLUMNS + " from message " + where, Tuple.class)
                .setParameter(1, workspaceId).setParameter(2, key).getResultList();
        return rows.stream().map(ConversationRepository::view).toList();
    }

    private static MessageView view(Tuple t) {
        return new MessageView(((Number) t.get(0)).longValue(), t.get(1, UUID.class),
                t.get(2, UUID.class), t.get(3, String.class), t.get(4, String.class), t.get(5, String.class),
                t.get(6, String.class), t.get(7, String.class),
                t.get(8) == null ? null : ((Number) t.get(8)).intValue(), t.get(9, String.class),
                t.get(10, Instant.class), t.get(11, UUID.class));
    }
}
