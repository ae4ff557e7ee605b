package br.com.reistech.users;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Changing one's own password; every session of the user ends. */
public record PasswordChangeRequest(
        @NotNull @Size(max = 1024) String currentPassword,
        @NotNull @Size(min = 12, max = 72) String newPassword) {

    @Override
    public String toString() {
        return "PasswordChangeRequest[****]";
    }
}
