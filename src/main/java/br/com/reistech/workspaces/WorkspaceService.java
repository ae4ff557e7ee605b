package br.com.reistech.workspaces;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** Workspaces: the tenants of the installation. */
@ApplicationScoped
public class WorkspaceService {

    private final Transactions transactions;
    private final WorkspaceRepository workspaces;

    @Inject
    public WorkspaceService(Transactions transactions, WorkspaceRepository workspaces) {
        this.transactions = transactions;
        this.workspaces = workspaces;
    }

    public Optional<WorkspaceView> findBySlug(String slug) {
        return transactions.read(() -> workspaces.findBySlug(slug).map(WorkspaceView::of));
    }

    /** The workspace with this slug, created with {@code name} if it does not exist yet. */
    public WorkspaceView ensure(String slug, String name) {
        return transactions.write(() -> {
            workspaces.insertIfAbsent(slug, name);
            return workspaces.findBySlug(slug).map(WorkspaceView::of).orElseThrow();
        });
    }
}
