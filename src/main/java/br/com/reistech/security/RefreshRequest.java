package br.com.reistech.security;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /api/auth/refresh}. */
public record RefreshRequest(@NotNull @Size(max = 4096) String refreshToken) {

    @Override
    public String toString() {
        return "RefreshRequest[****]";
    }
}
