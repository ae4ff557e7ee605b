package br.com.reistech.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hibernate.Session;

/**
 * Transaction boundaries, owned by services. {@link #write} and {@link #read} run a unit of work in
 * one database transaction, binding its {@link EntityManager} to the current thread, where
 * repositories find it through {@link #entityManager()}: a repository called outside a transaction
 * fails instead of silently auto-committing. Actions registered with {@link #afterCommit} (cache
 * invalidation, events) run only once the commit succeeded, never on rollback.
 */
public final class Transactions {

    private static final org.apache.logging.log4j.Logger LOG =
            org.apache.logging.log4j.LogManager.getLogger(Transactions.class);

    private final EntityManagerFactory factory;
    private final ThreadLocal<Unit> current = new ThreadLocal<>();

    public Transactions(EntityManagerFactory factory) {
        this.factory = factory;
    }

    /** Runs {@code work} in a read-write transaction; commits when it returns, rolls back when it throws. */
    public <T> T write(Supplier<T> work) {
        return run(work, false);
    }

    /** Runs {@code work} in a read-only transaction (no dirty checking, no flush). */
    public <T> T read(Supplier<T> work) {
        return run(work, true);
    }

    /** The entity manager of the transaction running on this thread. */
    public EntityManager entityManager() {
        Unit unit = current.get();
        if (unit == null) {
            throw new IllegalStateException("Repository used outside Transactions.write/read");
        }
        return unit.entityManager;
    }

    /** Whether a transaction is running on this thread. */
    public boolean active() {
        return current.get() != null;
    }

    /** Runs {@code action} after the current transaction commits; immediately when none is running. */
    public void afterCommit(Runnable action) {
        Unit unit = current.get();
        if (unit == null) {
            action.run();
        } else {
            unit.afterCommit.add(action);
        }
    }

    private <T> T run(Supplier<T> work, boolean readOnly) {
        if (current.get() != null) {
            return work.get();
        }
        EntityManager entityManager = factory.createEntityManager();
        Unit unit = new Unit(entityManager);
        current.set(unit);
        EntityTransaction transaction = entityManager.getTransaction();
        try {
            if (readOnly) {
                entityManager.unwrap(Session.class).setDefaultReadOnly(true);
            }
            transaction.begin();
            T result = work.get();
            transaction.commit();
            current.remove();
            for (Runnable action : unit.afterCommit) {
                try {
                    action.run();
                } catch (RuntimeException failure) {
                    // The work is committed: an after-commit failure must not look like a rollback.
                    LOG.warn("After-commit action failed", failure);
                }
            }
            return result;
        } catch (RuntimeException failure) {
            if (transaction.isActive()) {
                try {
                    transaction.rollback();
                } catch (RuntimeException rollbackFailure) {
                    // A lost connection fails the rollback too; the first failure is the one that explains.
                    failure.addSuppressed(rollbackFailure);
                }
            }
            throw failure;
        } finally {
            current.remove();
            entityManager.close();
        }
    }

    private static final class Unit {
        private final EntityManager entityManager;
        private final List<Runnable> afterCommit = new ArrayList<>();

        private Unit(EntityManager entityManager) {
            this.entityManager = entityManager;
        }
    }
}
