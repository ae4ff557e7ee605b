package br.com.reistech.workspaces;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Workspaces in PostgreSQL. Only {@link WorkspaceService} uses it. */
@ApplicationScoped
public class WorkspaceRepository {

    private final Transactions transactions;

    @Inject
    public WorkspaceRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    Optional<Workspace> findById(UUID id) {
        return Optional.ofNullable(transactions.entityManager().find(Workspace.class, id));
    }

    Optional<Workspace> lockById(UUID id) {
        return Optional.ofNullable(transactions.entityManager().find(Workspace.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    Optional<Workspace> findBySlug(String slug) {
        return transactions.entityManager()
                .createQuery("select w from Workspace w where w.slug = :slug", Workspace.class)
                .setParameter("slug", slug)
                .getResultStream().findFirst();
    }

    List<UUID> activeIds(int limit) {
        return transactions.entityManager()
                .createQuery("select w.id from Workspace w where w.active = true order by w.slug", UUID.class)
                .setMaxResults(limit).getResultList();
    }

    List<Workspace> list(int page, int size) {
        return transactions.entityManager()
                .createQuery("select w from Workspace w order by w.slug", Workspace.class)
                .setFirstResult(page * size).setMaxResults(size).getResultList();
    }

    long count() {
        return transactions.entityManager().createQuery("select count(w) from Workspace w", Long.class).getSingleResult();
    }

    void add(Workspace workspace) {
        transactions.entityManager().persist(workspace);
        transactions.entityManager().flush();
    }

    /** Inserts the workspace unless one with this slug exists; safe when several nodes start at once. */
    void insertIfAbsent(String slug, String name, String settings) {
        transactions.entityManager().createNativeQuery("""
                        insert into workspace (id, slug, name, settings) values (?1, ?2, ?3, cast(?4 as jsonb))
                        on conflict (slug) do nothing""")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, slug)
                .setParameter(3, name)
                .setParameter(4, settings)
                .executeUpdate();
    }
}
