package br.com.reistech.security;

import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.config.AppConfig;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.users.UserSecurityChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Login sessions. A session is a token family: one refresh token at a time (each usable once) and
 * the access tokens issued with it. Revocation (logout, refresh-token reuse, password, role or
 * active-flag change) is recorded in PostgreSQL, which is authoritative. Whether a session is live
 * is cached (USER_PERMISSIONS, near cache included, so a request usually costs no round trip at all)
 * and the entry is dropped on every node when the revocation commits; with Redis away the cache is
 * bypassed and PostgreSQL answers, so an outage or flush never revives a session.
 */
@ApplicationScoped
public class SessionService {

    private final Transactions transactions;
    private final SessionRepository sessions;
    private final TokenService tokens;
    private final CacheService cache;
    private final Clock clock;
    private final Duration refreshTtl;
    private final Event<SessionRevoked> revoked;

    @Inject
    public SessionService(Transactions transactions, SessionRepository sessions, TokenService tokens,
                          CacheService cache, Clock clock, AppConfig config, Event<SessionRevoked> revoked) {
        this.refreshTtl = config.auth().refreshTtl();
        this.revoked = revoked;
        this.transactions = transactions;
        this.sessions = sessions;
        this.tokens = tokens;
        this.cache = cache;
        this.clock = clock;
    }

    /** The two tokens handed to a client, with their lifetimes in seconds. */
    public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn,
                            long refreshExpiresIn) {
    }

    /** Starts a session for a user who just proved their identity. */
    public TokenPair open(UUID workspaceId, UUID userId, Role role) {
        return transactions.write(() -> {
            UUID familyId = UUID.randomUUID();
            Instant expiresAt = clock.instant().plus(refreshTtl);
            sessions.insertFamily(workspaceId, familyId, userId, expiresAt);
            return issue(workspaceId, userId, role, familyId, expiresAt);
        });
    }

    /**
     * Exchanges a refresh token for a new pair. The old refresh token dies; presenting a dead one
     * again means it was copied, so the whole session is revoked.
     *
     * @param role the user's current role, looked up by the caller
     */
    public TokenPair rotate(TokenService.RefreshClaims claims, Role role) {
        Instant now = clock.instant();
        Result result = transactions.write(() -> {
            var row = sessions.lockRefresh(claims.workspaceId(), claims.tokenId()).orElse(null);
            if (row == null || row.familyRevoked() || row.expiresAt().isBefore(now)
                    || !sessions.isLive(claims.workspaceId(), row.familyId(), claims.userId())) {
                return new Result(null, false);
            }
            if (row.used()) {
                sessions.revokeFamily(claims.workspaceId(), row.familyId(), "refresh-reuse");
                denyAfterCommit(claims.workspaceId(), List.of(row.familyId()));
                return new Result(null, true);
            }
            sessions.markUsed(row.id());
            return new Result(issue(claims.workspaceId(), claims.userId(), role, row.familyId(),
                    now.plus(refreshTtl)), false);
        });
        if (result.pair() == null) {
            throw result.reused() ? new RefreshReusedException() : TokenService.rejected();
        }
        return result.pair();
    }

    /** Ends one session (logout). */
    public void revoke(UUID workspaceId, UUID familyId, String reason) {
        transactions.write(() -> {
            sessions.revokeFamily(workspaceId, familyId, reason);
            denyAfterCommit(workspaceId, List.of(familyId));
            return null;
        });
    }

    /** Ends every session of a user whose credentials, role or status changed; in the change's transaction. */
    void onUserSecurityChanged(@Observes UserSecurityChanged change) {
        transactions.write(() -> {
            denyAfterCommit(change.workspaceId(),
                    sessions.revokeAllOfUser(change.workspaceId(), change.userId(), change.reason()));
            return null;
        });
    }

    /** True when the token's session is still live; checked on every authenticated request. */
    public boolean isLive(CurrentUser user) {
        return Boolean.TRUE.equals(cache.getOrSet(CacheKind.USER_PERMISSIONS, user.workspaceId(), sessionKey(user.familyId()),
                Boolean.class, () -> transactions.read(() -> sessions.isLive(user.workspaceId(), user.familyId(),
                        user.userId()))));
    }

    private TokenPair issue(UUID workspaceId, UUID userId, Role role, UUID familyId, Instant refreshExpiresAt) {
        UUID refreshId = UUID.randomUUID();
        sessions.insertRefresh(workspaceId, refreshId, familyId, refreshExpiresAt);
        Instant now = clock.instant();
        return new TokenPair(tokens.accessToken(userId, workspaceId, role, familyId),
                tokens.refreshToken(refreshId, userId, workspaceId, familyId, refreshExpiresAt), "Bearer",
                Duration.between(now, tokens.accessExpiry(now)).toSeconds(),
                Duration.between(now, refreshExpiresAt).toSeconds());
    }

    private void denyAfterCommit(UUID workspaceId, List<UUID> familyIds) {
        transactions.afterCommit(() -> {
            for (UUID familyId : familyIds) {
                cache.invalidate(CacheKind.USER_PERMISSIONS, workspaceId, sessionKey(familyId));
                revoked.fire(new SessionRevoked(workspaceId, familyId));
            }
        });
    }

    private static String sessionKey(UUID familyId) {
        return "session:" + familyId;
    }

    private record Result(TokenPair pair, boolean reused) {
    }

    /** A refresh token was used twice: its session has been revoked. */
    public static final class RefreshReusedException extends br.com.reistech.web.problem.ApiException {
        RefreshReusedException() {
            super(br.com.reistech.web.problem.ProblemType.UNAUTHORIZED, "Missing, invalid or expired token");
        }
    }
}
