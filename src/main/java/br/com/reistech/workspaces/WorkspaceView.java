package br.com.reistech.workspaces;

import java.time.Instant;
import java.util.UUID;

/** A workspace as the API and other features see it. */
public record WorkspaceView(UUID id, String slug, String name, boolean active, Instant createdAt) {

    static WorkspaceView of(Workspace workspace) {
        return new WorkspaceView(workspace.id(), workspace.slug(), workspace.name(), workspace.active(),
                workspace.createdAt());
    }
}
