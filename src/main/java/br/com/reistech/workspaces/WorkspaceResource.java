package br.com.reistech.workspaces;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.users.UserRequest;
import br.com.reistech.users.UserService;
import br.com.reistech.users.UserView;
import br.com.reistech.web.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;

/** {@code /api/workspaces}: the installation's workspaces, for platform administrators only. */
@ApplicationScoped
@Path("workspaces")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceResource {

    private final WorkspaceService workspaces;
    private final UserService users;

    @Inject
    public WorkspaceResource(WorkspaceService workspaces, UserService users) {
        this.workspaces = workspaces;
        this.users = users;
    }

    @POST
    @Allow(Permission.WORKSPACES_MANAGE)
    public Response create(@Context CurrentUser caller, @NotNull @Valid WorkspaceRequest request) {
        WorkspaceView created = workspaces.create(caller, request);
        return Response.created(URI.create("/api/workspaces/" + created.id())).entity(created).build();
    }

    @GET
    @Allow(Permission.WORKSPACES_MANAGE)
    public Page<WorkspaceView> list(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
                                    @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return workspaces.list(page, size);
    }

    @GET
    @Path("{id}")
    @Allow(Permission.WORKSPACES_MANAGE)
    public WorkspaceView get(@PathParam("id") UUID id) {
        return workspaces.get(id);
    }

    @PUT
    @Path("{id}")
    @Allow(Permission.WORKSPACES_MANAGE)
    public WorkspaceView update(@Context CurrentUser caller, @PathParam("id") UUID id,
                                @NotNull @Valid WorkspaceRequest request) {
        return workspaces.update(caller, id, request);
    }

    @DELETE
    @Path("{id}")
    @Allow(Permission.WORKSPACES_MANAGE)
    public Response deactivate(@Context CurrentUser caller, @PathParam("id") UUID id) {
        workspaces.deactivate(caller, id);
        return Response.noContent().build();
    }

    /** Creates a user (typically the first administrator) in the given workspace. */
    @POST
    @Path("{id}/users")
    @Allow(Permission.WORKSPACES_MANAGE)
    public Response createUser(@Context CurrentUser caller, @PathParam("id") UUID id,
                               @NotNull @Valid UserRequest request) {
        workspaces.get(id);
        UserView created = users.create(caller, id, request);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }
}
