package br.com.reistech.security;

import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.ThreadContext;

/**
 * Deny by default, decided per resource method when the application starts:
 * <ul>
 *   <li>{@link Public}: no token needed;</li>
 *   <li>{@link Allow}: a valid access token ({@code Authorization: Bearer ...}) whose session is
 *       live (401 otherwise), and a role holding the permission (403 otherwise);</li>
 *   <li>neither: refused to everyone with 403, so a new endpoint without a rule is closed.</li>
 * </ul>
 */
public final class AccessFeature implements DynamicFeature {

    private final TokenService tokens;
    private final SessionService sessions;
    private final Consumer<CurrentUser> authenticated;

    /** {@code authenticated} is told of every caller that passes authentication (agent presence). */
    public AccessFeature(TokenService tokens, SessionService sessions, Consumer<CurrentUser> authenticated) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.authenticated = authenticated;
    }

    /** The rule of a resource method: its permission, {@code null} for public, or refused when undeclared. */
    public static Rule ruleOf(Method method) {
        Allow allow = method.getAnnotation(Allow.class);
        if (allow != null) {
            return new Rule(allow.value(), false);
        }
        return new Rule(null, method.isAnnotationPresent(Public.class));
    }

    /** @param permission required permission, null when none is declared */
    public record Rule(Permission permission, boolean isPublic) {
        public boolean admits(Role role) {
            return isPublic || (permission != null && permission.grantedTo(role));
        }
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Rule rule = ruleOf(resource.getResourceMethod());
        if (rule.isPublic()) {
            return;
        }
        context.register(rule.permission() == null ? new Refuse() : new Check(rule.permission()));
    }

    @Priority(Priorities.AUTHENTICATION)
    private static final class Refuse implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            throw new ApiException(ProblemType.FORBIDDEN, "No access rule is declared for this operation");
        }
    }

    @Priority(Priorities.AUTHENTICATION)
    private final class Check implements ContainerRequestFilter {
        private final Permission permission;

        private Check(Permission permission) {
            this.permission = permission;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            // Reused only for the same header: Jersey joins repeated Authorization headers, the rate limiter read the first.
            String header = request.getHeaderString("Authorization");
            CurrentUser user = request.getProperty(CurrentUser.ATTRIBUTE) instanceof CurrentUser.Verified verified
                    && verified.authorization().equals(header)
                    ? verified.user() : tokens.verifyAccess(TokenService.bearerToken(header));
            if (!sessions.isLive(user)) {
                throw TokenService.rejected();
            }
            authenticated.accept(user);
            ThreadContext.putAll(Map.of("workspace", user.workspaceId().toString(), "user", user.userId().toString()));
            boolean secure = request.getSecurityContext().isSecure();
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return user.role().name().equals(role);
                }

                @Override
                public boolean isSecure() {
                    return secure;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "Bearer";
                }
            });
            if (!permission.grantedTo(user.role())) {
                throw new ApiException(ProblemType.FORBIDDEN, "Your role may not perform this operation");
            }
        }
    }
}
