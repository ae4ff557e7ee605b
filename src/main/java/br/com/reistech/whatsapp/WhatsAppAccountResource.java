package br.com.reistech.whatsapp;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** {@code /api/whatsapp/accounts}: the WhatsApp numbers of the caller's workspace (administrators). */
@ApplicationScoped
@Path("whatsapp/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class WhatsAppAccountResource {

    private final WhatsAppAccountService accounts;

    @Inject
    public WhatsAppAccountResource(WhatsAppAccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.OPERATIONS)
    public Response connect(@Context CurrentUser caller, @NotNull @Valid WhatsAppAccountRequest request) {
        return Response.status(Response.Status.CREATED).entity(accounts.connect(caller, request)).build();
    }

    @GET
    @Allow(Permission.OPERATIONS)
    public List<WhatsAppAccountView> list(@Context CurrentUser caller) {
        return accounts.list(caller.workspaceId());
    }

    @DELETE
    @Path("{id}")
    @Allow(Permission.OPERATIONS)
    public Response disconnect(@Context CurrentUser caller, @PathParam("id") UUID id) {
        accounts.disconnect(caller, id);
        return Response.noContent().build();
    }
}
