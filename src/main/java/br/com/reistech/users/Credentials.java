package br.com.reistech.users;

import br.com.reistech.security.Role;
import java.util.UUID;

/** What login needs to know about a user; only the authentication service sees it. */
public record Credentials(UUID userId, UUID workspaceId, Role role, String passwordHash, boolean active) {
}
