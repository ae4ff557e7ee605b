package br.com.reistech.users;

import br.com.reistech.security.Role;
import java.time.Instant;
import java.util.UUID;

/** A user as the API shows it; the CPF is masked, the password hash never leaves the service. */
public record UserView(UUID id, UUID workspaceId, String email, String nome, String cpf, Role role,
                       boolean active, boolean locked, Instant createdAt) {
}
