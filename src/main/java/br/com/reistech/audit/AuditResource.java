package br.com.reistech.audit;

import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.security.Role;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/admin/audit}: the audit trail, newest first, filtered (workspace administrators see
 * their own workspace's rows only), and the verification of its hash chain (platform administrators).
 */
@ApplicationScoped
@Path("admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource implements AuditMXBean {

    /** One audit row; {@code sealed} once it is part of the hash chain. */
    public record AuditView(long id, Instant occurredAt, UUID workspaceId, UUID actorId, String action, String outcome,
                            String target, String clientIp, String requestId, String details, boolean sealed) {
    }

    private final Transactions transactions;
    private final AuditChain chain;

    @Inject
    public AuditResource(Transactions transactions, AuditChain chain) {
        this.transactions = transactions;
        this.chain = chain;
    }

    @GET
    @Allow(Permission.OPERATIONS)
    @SuppressWarnings("unchecked")
    public List<AuditView> list(@Context CurrentUser user, @QueryParam("workspaceId") UUID workspaceId,
                                @QueryParam("action") @Pattern(regexp = "[a-z0-9.-]{1,60}") String action,
                                @QueryParam("actorId") UUID actorId, @QueryParam("outcome")
                                @Pattern(regexp = "SUCCESS|FAILURE|DENIED") String outcome,
                                @QueryParam("beforeId") @Min(1) Long beforeId,
                                @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        UUID workspace = workspaceId;
        if (user.role() != Role.PLATFORM_ADMIN) {
            if (workspaceId != null && !workspaceId.equals(user.workspaceId())) {
                throw new ApiException(ProblemType.FORBIDDEN, "Administrators read their own workspace's audit trail only");
            }
            workspace = user.workspaceId();
        }
        List<String> where = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        condition(where, values, "workspace_id = ?", workspace);
        condition(where, values, "action = ?", action);
        condition(where, values, "actor_id = ?", actorId);
        condition(where, values, "outcome = ?", outcome);
        condition(where, values, "id < ?", beforeId);
        String sql = "select id, occurred_at, workspace_id, actor_id, action, outcome, target, client_ip, request_id, "
                + "details::text, hmac is not null from audit_event"
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where)) + " order by id desc limit " + limit;
        return transactions.read(() -> {
            Query query = transactions.entityManager().createNativeQuery(sql, Tuple.class);
            for (int i = 0; i < values.size(); i++) {
                query.setParameter(i + 1, values.get(i));
            }
            List<Tuple> rows = query.getResultList();
            return rows.stream().map(t -> new AuditView(((Number) t.get(0)).longValue(), t.get(1, Instant.class),
                    t.get(2, UUID.class), t.get(3, UUID.class), t.get(4, String.class), t.get(5, String.class),
                    t.get(6, String.class), t.get(7, String.class), t.get(8, String.class), t.get(9, String.class),
                    Boolean.TRUE.equals(t.get(10)))).toList();
        });
    }

    private static void condition(List<String> where, List<Object> values, String sql, Object value) {
        if (value != null) {
            values.add(value);
            where.add(sql.replace("?", "?" + values.size()));
        }
    }

    @POST
    @Path("verify")
    @Allow(Permission.AUDIT_VERIFY)
    public Map<String, Object> verify() {
        return chain.verify();
    }

    @Override
    public String verifyChain() {
        return chain.verify().toString();
    }
}
