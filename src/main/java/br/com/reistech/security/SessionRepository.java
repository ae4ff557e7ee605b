package br.com.reistech.security;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Login sessions (token families) and their refresh tokens; every query is workspace-scoped. */
@ApplicationScoped
public class SessionRepository {

    private final Transactions transactions;

    @Inject
    public SessionRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A refresh token row, locked for the rest of the transaction. */
    record RefreshRow(UUID id, UUID familyId, boolean used, Instant expiresAt, boolean familyRevoked) {
    }

    void insertFamily(UUID workspaceId, UUID familyId, UUID userId, Instant expiresAt) {
        transactions.entityManager().createNativeQuery(
                        "insert into token_family (id, workspace_id, user_id, expires_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, familyId).setParameter(2, workspaceId).setParameter(3, userId)
                .setParameter(4, Timestamp.from(expiresAt))
                .executeUpdate();
    }

    void insertRefresh(UUID workspaceId, UUID tokenId, UUID familyId, Instant expiresAt) {
        transactions.entityManager().createNativeQuery("""
                        insert into refresh_token (id, family_id, expires_at)
                        select ?1, f.id, ?3 from token_family f where f.id = ?2 and f.workspace_id = ?4""")
                .setParameter(1, tokenId).setParameter(2, familyId).setParameter(3, Timestamp.from(expiresAt))
                .setParameter(4, workspaceId)
                .executeUpdate();
    }

    Optional<RefreshRow> lockRefresh(UUID workspaceId, UUID tokenId) {
        List<?> rows = transactions.entityManager().createNativeQuery("""
                        select r.id, r.family_id, r.used_at is not null, r.expires_at, f.revoked_at is not null
                        from refresh_token r join token_family f on f.id = r.family_id
                        where f.workspace_id = ?1 and r.id = ?2
                        for update of r, f""")
                .setParameter(1, workspaceId).setParameter(2, tokenId)
                .getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] cells = (Object[]) row;
            return new RefreshRow((UUID) cells[0], (UUID) cells[1], (Boolean) cells[2],
                    instant(cells[3]), (Boolean) cells[4]);
        });
    }

    void markUsed(UUID tokenId) {
        transactions.entityManager().createNativeQuery("update refresh_token set used_at = now() where id = ?1")
                .setParameter(1, tokenId).executeUpdate();
    }

    void revokeFamily(UUID workspaceId, UUID familyId, String reason) {
        transactions.entityManager().createNativeQuery("""
                        update token_family set revoked_at = now(), revoke_reason = ?3
                        where workspace_id = ?1 and id = ?2 and revoked_at is null""")
                .setParameter(1, workspaceId).setParameter(2, familyId).setParameter(3, reason)
                .executeUpdate();
    }

    /** Revokes every live session of the user; returns their ids. */
    @SuppressWarnings("unchecked")
    List<UUID> revokeAllOfUser(UUID workspaceId, UUID userId, String reason) {
        return transactions.entityManager().createNativeQuery("""
                        update token_family set revoked_at = now(), revoke_reason = ?3
                        where workspace_id = ?1 and user_id = ?2 and revoked_at is null
                        returning id""")
                .setParameter(1, workspaceId).setParameter(2, userId).setParameter(3, reason)
                .getResultList();
    }

    /** True when the session is live: not revoked, not expired, its user and workspace active. */
    boolean isLive(UUID workspaceId, UUID familyId, UUID userId) {
        return !transactions.entityManager().createNativeQuery("""
                        select 1 from token_family f
                        join app_user u on u.id = f.user_id and u.workspace_id = f.workspace_id
                        join workspace w on w.id = f.workspace_id
                        where f.workspace_id = ?1 and f.id = ?2 and f.user_id = ?3
                          and f.revoked_at is null and f.expires_at > now() and u.active and w.active""")
                .setParameter(1, workspaceId).setParameter(2, familyId).setParameter(3, userId)
                .getResultList().isEmpty();
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return (Instant) value;
    }
}
