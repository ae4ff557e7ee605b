package br.com.reistech.persistence;

import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * {@code br.com.reistech:type=Hibernate}: Hibernate's statistics since start (or the last
 * {@link #clear}): queries, slowest query, entity operations, sessions, transactions, statements.
 */
public interface HibernateMXBean {

    long getQueryExecutionCount();

    long getQueryExecutionMaxTimeMillis();

    /** The slowest query's HQL or SQL text (parameters are placeholders, never values). */
    String getQueryExecutionMaxTimeQuery();

    long getEntityLoadCount();

    long getEntityInsertCount();

    long getEntityUpdateCount();

    long getEntityDeleteCount();

    long getSessionOpenCount();

    long getTransactionCount();

    long getSuccessfulTransactionCount();

    long getPrepareStatementCount();

    long getOptimisticFailureCount();

    /** Starts the figures again from zero. */
    void clear();

    /** The MBean over {@code factory}; a class, not a factory method: MXBean interfaces may only declare attributes and operations. */
    final class Of implements HibernateMXBean {
        private final org.hibernate.stat.Statistics stats;

        public Of(EntityManagerFactory factory) {
            this.stats = factory.unwrap(SessionFactory.class).getStatistics();
        }

        @Override
        public long getQueryExecutionCount() {
            return stats.getQueryExecutionCount();
        }

        @Override
        public long getQueryExecutionMaxTimeMillis() {
            return stats.getQueryExecutionMaxTime();
        }

        @Override
        public String getQueryExecutionMaxTimeQuery() {
            return stats.getQueryExecutionMaxTimeQueryString();
        }

        @Override
        public long getEntityLoadCount() {
            return stats.getEntityLoadCount();
        }

        @Override
        public long getEntityInsertCount() {
            return stats.getEntityInsertCount();
        }

        @Override
        public long getEntityUpdateCount() {
            return stats.getEntityUpdateCount();
        }

        @Override
        public long getEntityDeleteCount() {
            return stats.getEntityDeleteCount();
        }

        @Override
        public long getSessionOpenCount() {
            return stats.getSessionOpenCount();
        }

        @Override
        public long getTransactionCount() {
            return stats.getTransactionCount();
        }

        @Override
        public long getSuccessfulTransactionCount() {
            return stats.getSuccessfulTransactionCount();
        }

        @Override
        public long getPrepareStatementCount() {
            return stats.getPrepareStatementCount();
        }

        @Override
        public long getOptimisticFailureCount() {
            return stats.getOptimisticFailureCount();
        }

        @Override
        public void clear() {
            stats.clear();
        }
    }
}
