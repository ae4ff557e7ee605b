package br.com.reistech.users;

import java.util.UUID;

/**
 * Fired synchronously, inside the transaction, when a user's password, role or active flag changes:
 * every session of that user must end, on every node.
 *
 * @param reason short machine-readable cause, e.g. {@code password-changed}
 */
public record UserSecurityChanged(UUID workspaceId, UUID userId, String reason) {
}
