package br.com.reistech.queue;

import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.ConversationView;
import br.com.reistech.conversations.MessageView;
import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.web.RequestContext;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.whatsapp.SendService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/conversations}: agents see and work on their own conversations (and read queued ones
 * before taking them); supervisors see all of the workspace.
 */
@ApplicationScoped
@Path("conversations")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    private final ConversationService conversations;
    private final QueueService queue;
    private final SendService sends;

    @Inject
    public ConversationResource(ConversationService conversations, QueueService queue, SendService sends) {
        this.conversations = conversations;
        this.queue = queue;
        this.sends = sends;
    }

    @GET
    @Allow(Permission.CONVERSATIONS_OWN)
    public List<ConversationView> list(@Context CurrentUser user,
                                       @QueryParam("status") @DefaultValue("ACTIVE")
                                       @Pattern(regexp = "BOT|QUEUED|ACTIVE|CLOSED") String status,
                                       @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return conversations.list(user.workspaceId(), status, QueueService.ownOnly(user), limit);
    }

    @GET
    @Path("{id}")
    @Allow(Permission.CONVERSATIONS_OWN)
    public ConversationView get(@Context CurrentUser caller, @PathParam("id") UUID id) {
        return visible(caller, id);
    }

    /** Newest first; pass the smallest id received as {@code before} for the next page. */
    @GET
    @Path("{id}/messages")
    @Allow(Permission.CONVERSATIONS_OWN)
    public List<MessageView> messages(@Context CurrentUser user, @PathParam("id") UUID id,
                                      @QueryParam("before") @Min(1) Long before,
                                      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        visible(user, id);
        return conversations.messages(user.workspaceId(), id, before, limit);
    }

    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Allow(Permission.CONVERSATIONS_OWN)
    public Response reply(@Context CurrentUser user, @Context HttpServletRequest http, @PathParam("id") UUID id,
                          @HeaderParam("Idempotency-Key") @Pattern(regexp = "[A-Za-z0-9._:-]{8,200}") String key,
                          @NotNull @Valid ReplyRequest request) {
        ConversationView conversation = visible(user, id);
        if (!"ACTIVE".equals(conversation.status()) || !(user.userId().equals(conversation.assignedAgentId())
                || QueueService.ownOnly(user) == null)) {
            throw new ApiException(ProblemType.CONFLICT, "Only an active conversation you hold can be answered");
        }
        SendService.Answer answer = sends.send(user, request.to(conversation.customerId()), key);
        if (answer.status() < 300 && user.userId().equals(conversation.assignedAgentId())) {
            conversations.markFirstResponse(user.workspaceId(), id);
        }
        return answer.toResponse(RequestContext.requestId(http));
    }

    @POST
    @Path("{id}/release")
    @Allow(Permission.CONVERSATIONS_OWN)
    public ConversationView release(@Context CurrentUser caller, @PathParam("id") UUID id) {
        return queue.release(caller, id);
    }

    @POST
    @Path("{id}/close")
    @Allow(Permission.CONVERSATIONS_OWN)
    public ConversationView close(@Context CurrentUser caller, @PathParam("id") UUID id) {
        return queue.close(caller, id);
    }

    /** Agents see their own and queued conversations; supervisors all. Others are not found. */
    private ConversationView visible(CurrentUser user, UUID id) {
        return conversations.find(user.workspaceId(), id)
                .filter(c -> QueueService.ownOnly(user) == null || user.userId().equals(c.assignedAgentId())
                        || "QUEUED".equals(c.status()))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such conversation"));
    }
}
