package br.com.reistech.media;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Media rows; every query takes the workspace id first. */
@ApplicationScoped
public class MediaRepository {

    /** A media row with what the service needs beyond the view. */
    record Row(MediaView view, UUID workspaceId, String metaMediaId, int fetchAttempts) {
    }

    private static final String COLUMNS = """
            id, source, content_type, size_bytes, sha256, file_name, created_at, workspace_id, meta_media_id,
            fetch_attempts""";

    private final Transactions transactions;

    @Inject
    public MediaRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    Optional<Row> find(UUID workspaceId, UUID id) {
        return rows("where workspace_id = ?1 and id = ?2", workspaceId, id).stream().findFirst();
    }

    /** Whether the agent uploaded the media or holds a conversation with a message carrying it. */
    boolean visibleToAgent(UUID workspaceId, UUID id, UUID agentId) {
        return (Boolean) transactions.entityManager().createNativeQuery("""
                        select exists (select 1 from media where workspace_id = ?1 and id = ?2 and uploaded_by = ?3)
                            or exists (select 1 from message m join conversation c on c.id = m.conversation_id
                                       where m.workspace_id = ?1 and m.media_id = ?2 and c.workspace_id = ?1
                                         and c.assigned_agent_id = ?3 and c.status = 'ACTIVE')""", Boolean.class)
                .setParameter(1, workspaceId).setParameter(2, id).setParameter(3, agentId).getSingleResult();
    }

    void insertUpload(UUID id, UUID workspaceId, String contentType, long size, String sha256, String fileName,
                      UUID uploadedBy) {
        transactions.entityManager().createNativeQuery("""
                        insert into media (id, workspace_id, source, content_type, size_bytes, sha256, file_name,
                                           uploaded_by, stored_at)
                        values (?1, ?2, 'UPLOAD', ?3, ?4, ?5, ?6, ?7, now())""")
                .setParameter(1, id).setParameter(2, workspaceId).setParameter(3, contentType).setParameter(4, size)
                .setParameter(5, sha256).setParameter(6, fileName).setParameter(7, uploadedBy).executeUpdate();
    }

    /** The customer's media announced by Meta, once per Meta id; returns its id either way. */
    UUID insertInbound(UUID workspaceId, String metaMediaId, String contentType, String fileName) {
        transactions.entityManager().createNativeQuery("""
                        insert into media (id, workspace_id, source, meta_media_id, content_type, file_name)
                        values (?1, ?2, 'INBOUND', ?3, ?4, ?5)
                        on conflict (workspace_id, meta_media_id) where source = 'INBOUND' do nothing""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, workspaceId).setParameter(3, metaMediaId)
                .setParameter(4, contentType).setParameter(5, fileName).executeUpdate();
        return (UUID) transactions.entityManager().createNativeQuery("""
                        select id from media where workspace_id = ?1 and meta_media_id = ?2 and source = 'INBOUND'""",
                        UUID.class)
                .setParameter(1, workspaceId).setParameter(2, metaMediaId).getSingleResult();
    }

    /** Customers' media not downloaded yet, with attempts left, oldest first. */
    List<Row> toFetch(int maxAttempts, int limit) {
        return rows("where sha256 is null and fetch_attempts < ?1 order by created_at limit " + limit, null, maxAttempts);
    }

    /** Counts a download attempt; false when another node has it (attempted in the last minute) or it is done. */
    boolean claimFetch(UUID id) {
        return transactions.entityManager().createNativeQuery("""
                        update media set fetch_attempts = fetch_attempts + 1, fetch_started_at = now()
                        where id = ?1 and sha256 is null
                          and (fetch_started_at is null or fetch_started_at < now() - interval '1 minute')""")
                .setParameter(1, id).executeUpdate() == 1;
    }

    void markStored(UUID id, String contentType, long size, String sha256) {
        transactions.entityManager().createNativeQuery("""
                        update media set content_type = ?2, size_bytes = ?3, sha256 = ?4, stored_at = now(),
                               fetch_error = null
                        where id = ?1""")
                .setParameter(1, id).setParameter(2, contentType).setParameter(3, size).setParameter(4, sha256)
                .executeUpdate();
    }

    void markFetchFailed(UUID id, String error) {
        transactions.entityManager().createNativeQuery("update media set fetch_error = left(?2, 200) where id = ?1")
                .setParameter(1, id).setParameter(2, error).executeUpdate();
    }

    void setMetaMediaId(UUID id, String metaMediaId) {
        transactions.entityManager().createNativeQuery("update media set meta_media_id = ?2 where id = ?1 and source = 'UPLOAD'")
                .setParameter(1, id).setParameter(2, metaMediaId).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private List<Row> rows(String where, UUID workspaceId, Object key) {
        var query = transactions.entityManager().createNativeQuery("select " + COLUMNS + " from media " + where, Tuple.class);
        if (workspaceId != null) {
            query.setParameter(1, workspaceId).setParameter(2, key);
        } else {
            query.setParameter(1, key);
        }
        List<Tuple> rows = query.getResultList();
        return rows.stream().map(t -> {
            String type = t.get(2, String.class);
            MediaView view = new MediaView(t.get(0, UUID.class), t.get(1, String.class), type,
                    MediaTypes.accepted(type).map(MediaTypes::whatsappType).orElse("document"),
                    t.get(3) == null ? null : ((Number) t.get(3)).longValue(), t.get(4, String.class),
                    t.get(5, String.class), t.get(6, Instant.class));
            return new Row(view, t.get(7, UUID.class), t.get(8, String.class), ((Number) t.get(9)).intValue());
        }).toList();
    }
}
