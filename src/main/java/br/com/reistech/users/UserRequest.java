package br.com.reistech.users;

import br.com.reistech.security.Role;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Creating a user ({@code POST /api/users}), or the first administrator of a workspace.
 * The password is 12 to 72 bytes: bcrypt ignores what follows the 72nd byte, so longer ones are refused.
 */
public record UserRequest(
        @NotBlank @Email @Size(max = 254) String email,
        @NotBlank @Size(min = 3, max = 100) String nome,
        @Cpf String cpf,
        @NotNull Role role,
        @NotNull @Size(min = 12, max = 72) String password) {

    @Override
    public String toString() {
        return "UserRequest[email=" + email + ", role=" + role + "]";
    }
}
