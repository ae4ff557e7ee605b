package br.com.reistech.users;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
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

/** {@code /api/users}: the users of the caller's workspace. */
@ApplicationScoped
@Path("users")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserService users;

    @Inject
    public UserResource(UserService users) {
        this.users = users;
    }

    @POST
    @Allow(Permission.USERS_MANAGE)
    public Response create(@Context CurrentUser actor, @NotNull @Valid UserRequest request) {
        UserView created = users.create(actor, actor.workspaceId(), request);
        return Response.created(URI.create("/api/users/" + created.id())).entity(created).build();
    }

    @GET
    @Allow(Permission.USERS_READ)
    public Page<UserView> list(@Context CurrentUser caller,
                               @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
                               @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return users.list(caller.workspaceId(), page, size);
    }

    @GET
    @Path("{id}")
    @Allow(Permission.USERS_READ)
    public UserView get(@Context CurrentUser caller, @PathParam("id") UUID id) {
        return users.get(caller.workspaceId(), id);
    }

    @PUT
    @Path("{id}")
    @Allow(Permission.USERS_MANAGE)
    public UserView update(@Context CurrentUser actor, @PathParam("id") UUID id,
                           @NotNull @Valid UserUpdateRequest request) {
        return users.update(actor, actor.workspaceId(), id, request);
    }

    @DELETE
    @Path("{id}")
    @Allow(Permission.USERS_MANAGE)
    public Response deactivate(@Context CurrentUser actor, @PathParam("id") UUID id) {
        users.deactivate(actor, actor.workspaceId(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/unlock")
    @Allow(Permission.USERS_MANAGE)
    public UserView unlock(@Context CurrentUser actor, @PathParam("id") UUID id) {
        return users.unlock(actor, actor.workspaceId(), id);
    }
}
