package br.com.reistech.cache;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.security.Role;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.annotation.JsonAlias;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/admin/cache}: metrics, manual invalidation and warming. A platform administrator acts
 * on any workspace or on all; a workspace administrator only on its own workspace.
 */
@ApplicationScoped
@Path("admin/cache")
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {

    /** What to drop; each part left out widens the scope. {@code workspace_id} is accepted too. */
    public record InvalidateRequest(
            @JsonAlias("workspace_id") UUID workspaceId,
            @Pattern(regexp = "(?i)customer_state|human_queue|active_conversations|customer_data|cms_text|catalog_item"
                    + "|workspace_config|user_permissions", message = "must be a cache kind such as cms_text") String kind,
            @Size(min = 1, max = 300) String key) {
    }

    private final CacheAdmin admin;
    private final CacheService cache;

    @Inject
    public CacheResource(CacheAdmin admin, CacheService cache) {
        this.admin = admin;
        this.cache = cache;
    }

    @GET
    @Path("metrics")
    @Allow(Permission.OPERATIONS)
    public Map<String, Object> metrics() {
        return cache.metrics();
    }

    @POST
    @Path("invalidate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.OPERATIONS)
    public Map<String, Object> invalidate(@Context CurrentUser user, @Valid InvalidateRequest request) {
        InvalidateRequest scope = request == null ? new InvalidateRequest(null, null, null) : request;
        UUID workspaceId = scope.workspaceId();
        if (user.role() != Role.PLATFORM_ADMIN) {
            if (workspaceId != null && !workspaceId.equals(user.workspaceId())) {
                throw new ApiException(ProblemType.FORBIDDEN, "Administrators act on their own workspace's cache only");
            }
            workspaceId = user.workspaceId();
        }
        if (scope.key() != null && (scope.kind() == null || workspaceId == null)) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "A key is dropped within a kind and a workspace",
                    List.of(new Problem.Violation("key", "body", "needs kind and workspaceId")));
        }
        return admin.invalidate(workspaceId, scope.kind() == null ? null : CacheAdmin.kind(scope.kind()), scope.key());
    }

    @POST
    @Path("warm")
    @Allow(Permission.OPERATIONS)
    public Map<String, Object> warm() {
        return admin.warm();
    }
}
