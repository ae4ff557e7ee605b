package br.com.reistech.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * bcrypt at cost 12 (about 0.3–0.8 s on two cores). bcrypt reads at most 72 bytes, so a longer
 * password is refused rather than silently truncated.
 */
public final class PasswordHasher {

    public static final int COST = 12;
    public static final int MAX_BYTES = 72;

    private PasswordHasher() {
    }

    public static String hash(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "Passwords are limited to 72 bytes (bcrypt)",
                    List.of(new Problem.Violation("password", "body", "must be at most 72 bytes in UTF-8")));
        }
        return new String(BCrypt.withDefaults().hash(COST, bytes), StandardCharsets.US_ASCII);
    }

    public static boolean matches(String password, String hash) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_BYTES
                && BCrypt.verifyer().verify(bytes, hash.getBytes(StandardCharsets.US_ASCII)).verified;
    }
}
