package br.com.reistech.workspaces;

import java.time.Instant;
import java.util.UUID;

/** A workspace as the API and other features see it. */
public record WorkspaceView(UUID id, String slug, String name, boolean active, WorkspaceSettings settings,
                            Instant createdAt) {
}
