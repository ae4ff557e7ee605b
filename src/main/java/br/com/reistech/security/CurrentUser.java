package br.com.reistech.security;

import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.UUID;

/**
 * The authenticated caller, taken from a verified access token. Every query of a request is scoped
 * to {@link #workspaceId()}.
 *
 * @param familyId the login session the token belongs to (revoked as a whole)
 */
public record CurrentUser(UUID userId, UUID workspaceId, Role role, UUID familyId, String tokenId)
        implements Principal {

    /**
     * The request attribute under which the rate limiter leaves a {@link Verified}, so that the
     * access check does not verify the same token again.
     */
    public static final String ATTRIBUTE = "reistech.caller";

    /** The caller verified from {@code authorization}, the request's whole Authorization header. */
    public record Verified(String authorization, CurrentUser user) {
    }

    @Override
    public String getName() {
        return userId.toString();
    }

    /** The caller of a request that passed authentication. */
    public static CurrentUser of(SecurityContext context) {
        if (context.getUserPrincipal() instanceof CurrentUser user) {
            return user;
        }
        throw new ApiException(ProblemType.UNAUTHORIZED, "Authentication required");
    }
}
