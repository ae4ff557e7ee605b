package br.com.reistech.customers;

import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Customers of a workspace, identified by Meta's business-scoped user id when present, else by
 * {@code wa_id}. A number or user-id change updates the existing customer instead of creating one.
 * All methods join the caller's transaction (the webhook processor's or the bot's).
 */
@ApplicationScoped
public class CustomerService {

    private final Transactions transactions;
    private final CustomerRepository customers;
    private final CacheService cache;

    @Inject
    public CustomerService(Transactions transactions, CustomerRepository customers, CacheService cache) {
        this.transactions = transactions;
        this.customers = customers;
        this.cache = cache;
    }

    /** The customer who sent a message, created on first contact; safe under concurrent deliveries. */
    public Customer identify(UUID workspaceId, String bsuid, String waId, String name) {
        return transactions.write(() -> {
            Optional<Customer> known = find(workspaceId, bsuid, waId);
            if (known.isPresent()) {
                Customer customer = known.get();
                if ((bsuid != null && customer.bsuid() == null) || (waId != null && customer.waId() == null)
                        || (name != null && !name.equals(customer.name()))) {
                    customers.updateIdentity(workspaceId, customer.id(), bsuid, waId, name);
                    changed(workspaceId, customer.id());
                }
                return customers.find(workspaceId, customer.id()).orElseThrow();
            }
            customers.insertIfAbsent(workspaceId, UUID.randomUUID(), bsuid, waId, name);
            return find(workspaceId, bsuid, waId).orElseThrow();
        });
    }

    /**
     * {@code user_changed_number}: the customer keeps its history under the new number. When the new
     * number already belongs to another customer record, that record keeps it and this is logged.
     */
    public void changeNumber(UUID workspaceId, String bsuid, String oldWaId, String newWaId) {
        if (newWaId == null) {
            return;
        }
        transactions.write(() -> {
            Optional<Customer> customer = find(workspaceId, bsuid, oldWaId);
            if (customer.isPresent() && customers.byWaId(workspaceId, newWaId).isEmpty()) {
                transactions.entityManager().createNativeQuery(
                                "update customer set wa_id = ?3, updated_at = now() where workspace_id = ?1 and id = ?2")
                        .setParameter(1, workspaceId).setParameter(2, customer.get().id()).setParameter(3, newWaId)
                        .executeUpdate();
                changed(workspaceId, customer.get().id());
            }
            return null;
        });
    }

    /** {@code user_changed_user_id}: Meta issued a new business-scoped id for the same person. */
    public void changeUserId(UUID workspaceId, String oldBsuid, String newBsuid, String waId) {
        transactions.write(() -> {
            find(workspaceId, oldBsuid, waId).ifPresent(c -> {
                transactions.entityManager().createNativeQuery(
                                "update customer set bsuid = ?3, updated_at = now() where workspace_id = ?1 and id = ?2")
                        .setParameter(1, workspaceId).setParameter(2, c.id()).setParameter(3, newBsuid).executeUpdate();
                changed(workspaceId, c.id());
            });
            return null;
        });
    }

    public void touchInbound(UUID workspaceId, UUID customerId, Instant at) {
        transactions.write(() -> {
            customers.touchInbound(workspaceId, customerId, at);
            changed(workspaceId, customerId);
            return null;
        });
    }

    /** The customer, cached (CUSTOMER_DATA) and dropped from the cache by every change above, after commit. */
    public Optional<Customer> find(UUID workspaceId, UUID id) {
        return Optional.ofNullable(cache.getOrSet(CacheKind.CUSTOMER_DATA, workspaceId, id.toString(), Customer.class,
                () -> transactions.read(() -> customers.find(workspaceId, id).orElse(null))));
    }

    /** The customer WhatsApp knows by this phone number (wa_id). */
    public Optional<Customer> findByWaId(UUID workspaceId, String waId) {
        return transactions.read(() -> customers.byWaId(workspaceId, waId));
    }

    /** Locks the customer row for the rest of the caller's transaction. */
    public Customer lock(UUID workspaceId, UUID id) {
        return customers.lock(workspaceId, id).orElseThrow();
    }

    /** Forgets the bot state (after a person closed the conversation): the next message is greeted anew. */
    public void resetState(UUID workspaceId, UUID customerId) {
        transactions.write(() -> {
            Customer customer = customers.lock(workspaceId, customerId).orElseThrow();
            customers.saveState(workspaceId, customerId, null, "{}", customer.version());
            changed(workspaceId, customerId);
            return null;
        });
    }

    /** Saves the bot state under the fence; false when another writer got there first. */
    public boolean saveState(Customer customer, String state, String data) {
        changed(customer.workspaceId(), customer.id());
        return customers.saveState(customer.workspaceId(), customer.id(), state, data, customer.version());
    }

    private void changed(UUID workspaceId, UUID customerId) {
        cache.invalidate(CacheKind.CUSTOMER_DATA, workspaceId, customerId.toString());
    }

    private Optional<Customer> find(UUID workspaceId, String bsuid, String waId) {
        Optional<Customer> byBsuid = bsuid == null ? Optional.empty() : customers.byBsuid(workspaceId, bsuid);
        return byBsuid.isPresent() || waId == null ? byBsuid : customers.byWaId(workspaceId, waId);
    }
}
