package br.com.reistech.customers;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Customers in PostgreSQL; every query takes the workspace id first. */
@ApplicationScoped
public class CustomerRepository {

    private static final String COLUMNS = "id, workspace_id, bsuid, wa_id, name, fsm_state, fsm_data::text, last_inbound_at, version";

    private final Transactions transactions;

    @Inject
    public CustomerRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    Optional<Customer> find(UUID workspaceId, UUID id) {
        return one("where workspace_id = ?1 and id = ?2", workspaceId, id, "");
    }

    /** The customer row, locked until the transaction ends: the bot's per-customer fence. */
    Optional<Customer> lock(UUID workspaceId, UUID id) {
        return one("where workspace_id = ?1 and id = ?2", workspaceId, id, " for update");
    }

    Optional<Customer> byBsuid(UUID workspaceId, String bsuid) {
        return one("where workspace_id = ?1 and bsuid = ?2", workspaceId, bsuid, " for update");
    }

    Optional<Customer> byWaId(UUID workspaceId, String waId) {
        return one("where workspace_id = ?1 and wa_id = ?2", workspaceId, waId, " for update");
    }

    /** Inserts unless a concurrent delivery created the same customer first (then nothing happens). */
    void insertIfAbsent(UUID workspaceId, UUID id, String bsuid, String waId, String name) {
        transactions.entityManager().createNativeQuery("""
                        insert into customer (id, workspace_id, bsuid, wa_id, name) values (?1, ?2, ?3, ?4, ?5)
                        on conflict do nothing""")
                .setParameter(1, id).setParameter(2, workspaceId).setParameter(3, bsuid).setParameter(4, waId)
                .setParameter(5, name).executeUpdate();
    }

    void updateIdentity(UUID workspaceId, UUID id, String bsuid, String waId, String name) {
        transactions.entityManager().createNativeQuery("""
                        update customer set bsuid = coalesce(?3, bsuid), wa_id = coalesce(?4, wa_id),
                               name = coalesce(?5, name), updated_at = now()
                        where workspace_id = ?1 and id = ?2""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, bsuid).setParameter(4, waId)
                .setParameter(5, name).executeUpdate();
    }

    void touchInbound(UUID workspaceId, UUID id, Instant at) {
        transactions.entityManager().createNativeQuery("""
                        update customer set last_inbound_at = greatest(coalesce(last_inbound_at, ?3), ?3)
                        where workspace_id = ?1 and id = ?2""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, Timestamp.from(at)).executeUpdate();
    }

    /** Writes the bot state if the version is still {@code expected}; returns whether it did. */
    boolean saveState(UUID workspaceId, UUID id, String state, String data, long expected) {
        return transactions.entityManager().createNativeQuery("""
                        update customer set fsm_state = ?3, fsm_data = cast(?4 as jsonb), version = version + 1,
                               updated_at = now()
                        where workspace_id = ?1 and id = ?2 and version = ?5""")
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, state).setParameter(4, data)
                .setParameter(5, expected).executeUpdate() == 1;
    }

    @SuppressWarnings("unchecked")
    private Optional<Customer> one(String where, UUID workspaceId, Object key, String lock) {
        List<Tuple> rows = transactions.entityManager()
                .createNativeQuery("select " + COLUMNS + " from customer " + where + lock, Tuple.class)
                .setParameter(1, workspaceId).setParameter(2, key).getResultList();
        return rows.stream().findFirst().map(t -> new Customer(t.get(0, UUID.class), t.get(1, UUID.class),
                t.get(2, String.class), t.get(3, String.class), t.get(4, String.class), t.get(5, String.class),
                t.get(6, String.class), t.get(7, Instant.class), ((Number) t.get(8)).longValue()));
    }
}
