package br.com.reistech.audit;

import br.com.reistech.persistence.Transactions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * Records critical actions (logins, user and role changes, lockouts...) with their outcome in the
 * {@code audit_event} table, inside the caller's transaction when there is one, so an action and
 * its record commit or roll back together. Client IP and request id come from the request's log
 * context. Details must never hold secrets, full CPFs or phone numbers.
 */
@ApplicationScoped
public class AuditService {

    private static final Logger AUDIT = LogManager.getLogger("audit");

    /** What happened to the action. */
    public enum Outcome { SUCCESS, FAILURE, DENIED }

    private final Transactions transactions;
    private final ObjectMapper json;

    @Inject
    public AuditService(Transactions transactions, ObjectMapper json) {
        this.transactions = transactions;
        this.json = json;
    }

    public void record(String action, Outcome outcome, UUID workspaceId, UUID actorId, String target,
                       Map<String, ?> details) {
        String detailsJson = toJson(details);
        transactions.write(() -> transactions.entityManager().createNativeQuery("""
                        insert into audit_event (workspace_id, actor_id, action, outcome, target, client_ip,
                                                 request_id, details)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as jsonb))""")
                .setParameter(1, workspaceId)
                .setParameter(2, actorId)
                .setParameter(3, action)
                .setParameter(4, outcome.name())
                .setParameter(5, target)
                .setParameter(6, ThreadContext.get("clientIp"))
                .setParameter(7, ThreadContext.get("requestId"))
                .setParameter(8, detailsJson)
                .executeUpdate());
        AUDIT.info("{} {} workspace={} actor={} target={}", action, outcome, workspaceId, actorId, target);
    }

    private String toJson(Map<String, ?> details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException impossible) {
            return "{}";
        }
    }
}
