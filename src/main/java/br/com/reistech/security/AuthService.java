package br.com.reistech.security;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.security.SessionService.TokenPair;
import br.com.reistech.users.Credentials;
import br.com.reistech.users.UserService;
import br.com.reistech.workspaces.WorkspaceService;
import br.com.reistech.workspaces.WorkspaceView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Login, refresh and logout. Login never tells why it failed: an unknown workspace, an unknown or
 * inactive user, a wrong password and a locked account all get the same 401, and all pay the same
 * bcrypt verification, so neither body nor timing reveals which. Failures count towards the
 * account's lockout; every outcome is audited.
 */
@ApplicationScoped
public class AuthService {

    /** A bcrypt hash of a random password, verified when there is no real hash, to spend the same time. */
    private static final String DECOY_HASH = PasswordHasher.hash(UUID.randomUUID().toString());

    private final WorkspaceService workspaces;
    private final UserService users;
    private final SessionService sessions;
    private final TokenService tokens;
    private final AuditService audit;

    @Inject
    public AuthService(WorkspaceService workspaces, UserService users, SessionService sessions, TokenService tokens,
                       AuditService audit) {
        this.workspaces = workspaces;
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.audit = audit;
    }

    public TokenPair login(LoginRequest request) {
        Optional<WorkspaceView> workspace = workspaces.findActiveBySlug(request.workspace().strip());
        Optional<Credentials> user = workspace.flatMap(w -> users.findCredentials(w.id(), request.email()));
        boolean passwordMatches = PasswordHasher.matches(request.password(),
                user.map(Credentials::passwordHash).orElse(DECOY_HASH));
        UUID workspaceId = workspace.map(WorkspaceView::id).orElse(null);
        if (user.isEmpty() || !user.get().active()) {
            return refuse(workspaceId, null, user.isEmpty() ? "unknown-account" : "inactive");
        }
        Credentials credentials = user.get();
        // Lock state and failure count are decided under the user's row lock, with the outcome:
        // parallel guesses cannot slip past a lockout, and a right guess cannot clear one.
        String refusal = users.recordLoginAttempt(workspaceId, credentials.userId(), passwordMatches);
        if (refusal != null) {
            return refuse(workspaceId, credentials.userId(), refusal);
        }
        TokenPair pair = sessions.open(workspaceId, credentials.userId(), credentials.role());
        audit.record("auth.login", Outcome.SUCCESS, workspaceId, credentials.userId(), null, Map.of());
        return pair;
    }

    public TokenPair refresh(RefreshRequest request) {
        TokenService.RefreshClaims claims = tokens.verifyRefresh(request.refreshToken());
        Role role = users.findCredentials(claims.workspaceId(), claims.userId())
                .filter(Credentials::active).map(Credentials::role)
                .orElseThrow(TokenService::rejected);
        try {
            return sessions.rotate(claims, role);
        } catch (SessionService.RefreshReusedException reused) {
            audit.record("auth.refresh-reused", Outcome.DENIED, claims.workspaceId(), claims.userId(),
                    claims.familyId().toString(), Map.of());
            throw reused;
        }
    }

    public void logout(CurrentUser user) {
        sessions.revoke(user.workspaceId(), user.familyId(), "logout");
        audit.record("auth.logout", Outcome.SUCCESS, user.workspaceId(), user.userId(), null, Map.of());
    }

    private TokenPair refuse(UUID workspaceId, UUID userId, String reason) {
        audit.record("auth.login", Outcome.FAILURE, workspaceId, userId, null, Map.of("reason", reason));
        throw TokenService.rejected();
    }
}
