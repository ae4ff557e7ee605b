package br.com.reistech.security;

import java.util.UUID;

/** Fired after a login session's revocation commits: anything holding it open (a WebSocket) must end. */
public record SessionRevoked(UUID workspaceId, UUID familyId) {
}
