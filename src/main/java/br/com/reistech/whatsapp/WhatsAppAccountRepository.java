package br.com.reistech.whatsapp;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** WhatsApp accounts; secrets stay encrypted here, {@link WhatsAppAccountService} opens them. */
@ApplicationScoped
public class WhatsAppAccountRepository {

    private final Transactions transactions;

    @Inject
    public WhatsAppAccountRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A stored row: secrets still sealed. */
    record Row(UUID id, UUID workspaceId, String phoneNumberId, String accessToken, String appSecret,
               String verifyToken, String graphVersion, Instant createdAt) {
    }

    void add(Row row) {
        transactions.entityManager().createNativeQuery("""
                        insert into whatsapp_account (id, workspace_id, phone_number_id, access_token_enc,
                                                      app_secret_enc, verify_token_enc, graph_version)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, row.id()).setParameter(2, row.workspaceId()).setParameter(3, row.phoneNumberId())
                .setParameter(4, row.accessToken()).setParameter(5, row.appSecret())
                .setParameter(6, row.verifyToken()).setParameter(7, row.graphVersion())
                .executeUpdate();
    }

    boolean phoneNumberTaken(String phoneNumberId) {
        return !transactions.entityManager()
                .createNativeQuery("select 1 from whatsapp_account where phone_number_id = ?1")
                .setParameter(1, phoneNumberId).getResultList().isEmpty();
    }

    List<Row> byWorkspace(UUID workspaceId) {
        return rows("where workspace_id = ?1 order by created_at", workspaceId);
    }

    /** Every account of the installation: the webhook verifies a signature against their app secrets. */
    List<Row> all() {
        return rows("where ?1 = ?1 order by created_at", 1);
    }

    int delete(UUID workspaceId, UUID id) {
        return transactions.entityManager()
                .createNativeQuery("delete from whatsapp_account where workspace_id = ?1 and id = ?2")
                .setParameter(1, workspaceId).setParameter(2, id).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private List<Row> rows(String where, Object parameter) {
        List<Tuple> tuples = transactions.entityManager().createNativeQuery("""
                        select id, workspace_id, phone_number_id, access_token_enc, app_secret_enc, verify_token_enc,
                               graph_version, created_at
                        from whatsapp_account\s""" + where, Tuple.class)
                .setParameter(1, parameter).getResultList();
        return tuples.stream().map(t -> new Row(t.get(0, UUID.class), t.get(1, UUID.class), t.get(2, String.class),
                t.get(3, String.class), t.get(4, String.class), t.get(5, String.class), t.get(6, String.class),
                t.get(7, Instant.class))).toList();
    }
}
