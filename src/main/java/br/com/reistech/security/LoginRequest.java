package br.com.reistech.security;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /api/auth/login}. Only sizes are checked: anything else answers the same 401. */
public record LoginRequest(
        @NotNull @Size(max = 63) String workspace,
        @NotNull @Size(max = 254) String email,
        @NotNull @Size(max = 1024) String password) {

    @Override
    public String toString() {
        return "LoginRequest[workspace=" + workspace + "]";
    }
}
