package br.com.reistech.queue;

import br.com.reistech.conversations.ConversationView;
import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** {@code /api/queue}: the workspace's human queue; taking (agents) and assigning (supervisors). */
@ApplicationScoped
@Path("queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    private final QueueService queue;

    @Inject
    public QueueResource(QueueService queue) {
        this.queue = queue;
    }

    @GET
    @Allow(Permission.QUEUE_READ)
    public List<ConversationView> list(@Context CurrentUser caller) {
        return queue.queue(caller.workspaceId());
    }

    @POST
    @Path("{id}/take")
    @Allow(Permission.QUEUE_TAKE)
    public ConversationView take(@Context CurrentUser caller, @PathParam("id") UUID id) {
        return queue.take(caller, id);
    }

    @POST
    @Path("{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.QUEUE_ASSIGN)
    public ConversationView assign(@Context CurrentUser caller, @PathParam("id") UUID id,
                                   @NotNull @Valid AgentRequest request) {
        return queue.assign(caller, id, request.agentId());
    }

    @POST
    @Path("{id}/transfer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.QUEUE_ASSIGN)
    public ConversationView transfer(@Context CurrentUser caller, @PathParam("id") UUID id,
                                     @NotNull @Valid AgentRequest request) {
        return queue.transfer(caller, id, request.agentId());
    }
}
