package br.com.reistech.users;

import br.com.reistech.security.Role;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Replacing a user's profile and role ({@code PUT /api/users/{id}}); a role change ends their sessions. */
public record UserUpdateRequest(
        @NotBlank @Email @Size(max = 254) String email,
        @NotBlank @Size(min = 3, max = 100) String nome,
        @Cpf String cpf,
        @NotNull Role role) {
}
