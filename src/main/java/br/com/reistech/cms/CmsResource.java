package br.com.reistech.cms;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /api/cms/texts}: the bot's texts of the caller's workspace. Everyone reads; admins write. */
@ApplicationScoped
@Path("cms/texts")
@Produces(MediaType.APPLICATION_JSON)
public class CmsResource {

    private final CmsService cms;

    @Inject
    public CmsResource(CmsService cms) {
        this.cms = cms;
    }

    @GET
    @Allow(Permission.CONTENT_READ)
    public List<CmsTextView> list(@Context CurrentUser caller) {
        return cms.list(caller.workspaceId());
    }

    @GET
    @Path("{key}")
    @Allow(Permission.CONTENT_READ)
    public CmsTextView get(@Context CurrentUser caller, @PathParam("key") String key,
                           @QueryParam("locale") @Pattern(regexp = "[a-z]{2}(-[A-Z]{2})?") String locale) {
        return cms.get(caller.workspaceId(), key, locale);
    }

    @PUT
    @Path("{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.CONTENT_WRITE)
    public CmsTextView put(@Context CurrentUser caller, @PathParam("key") String key,
                           @NotNull @Valid CmsTextRequest request) {
        return cms.put(caller, key, request);
    }

    @DELETE
    @Path("{key}")
    @Allow(Permission.CONTENT_WRITE)
    public Response delete(@Context CurrentUser caller, @PathParam("key") String key,
                           @QueryParam("locale") @Pattern(regexp = "[a-z]{2}(-[A-Z]{2})?") String locale) {
        cms.delete(caller, key, locale);
        return Response.noContent().build();
    }
}
