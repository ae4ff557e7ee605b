package br.com.reistech.workspaces;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    Optional<Workspace> findBySlug(String slug) {
        return transactions.entityManager()
                .createQuery("select w from Workspace w where w.slug = :slug", Workspace.class)
                .setParameter("slug", slug)
                .getResultStream().findFirst();
    }

    /** Inserts the workspace unless one with this slug exists; safe when several nodes start at once. */
    void insertIfAbsent(String slug, String name) {
        transactions.entityManager().createNativeQuery(
                        "insert into workspace (id, slug, name) values (?1, ?2, ?3) on conflict (slug) do nothing")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, slug)
                .setParameter(3, name)
                .executeUpdate();
    }
}
