package br.com.reistech.whatsapp;

import br.com.reistech.config.AppConfig;
import br.com.reistech.config.AppConfig.WhatsAppMode;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.MessageView;
import br.com.reistech.customers.CustomerService;
import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/dev/whatsapp}, only with {@code WHATSAPP_MODE=simulated} (404 otherwise), for
 * administrators: inject an inbound message as if Meta had delivered it (same processing path as a
 * real webhook), and read what the bot or agents "sent" to a number.
 */
@ApplicationScoped
@Path("dev/whatsapp")
@Produces(MediaType.APPLICATION_JSON)
public class DevWhatsAppResource {

    private final WebhookProcessor processor;
    private final CustomerService customers;
    private final ConversationService conversations;
    private final ObjectMapper json;
    private final boolean simulated;

    @Inject
    public DevWhatsAppResource(WebhookProcessor processor, CustomerService customers, ConversationService conversations,
                               ObjectMapper json, AppConfig config) {
        this.processor = processor;
        this.customers = customers;
        this.conversations = conversations;
        this.json = json;
        this.simulated = config.whatsapp().mode() == WhatsAppMode.SIMULATED;
    }

    /** An inbound text: {@code from} is the customer's phone (wa_id). */
    public record InboundRequest(
            @NotBlank @Pattern(regexp = "[0-9]{8,15}", message = "must be 8-15 digits") String from,
            @NotNull @Size(min = 1, max = 4096) String text,
            @Size(max = 100) String name) {
    }

    @POST
    @Path("inbound")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.OPERATIONS)
    public Response inbound(@Context CurrentUser caller, @NotNull @Valid InboundRequest request) {
        requireSimulated();
        String wamid = "wamid.SIMULATED.IN." + UUID.randomUUID();
        ObjectNode value = json.createObjectNode().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("phone_number_id", "simulated");
        ObjectNode contact = value.putArray("contacts").addObject().put("wa_id", request.from());
        contact.putObject("profile").put("name", request.name() == null ? "" : request.name());
        ObjectNode message = value.putArray("messages").addObject().put("from", request.from()).put("id", wamid)
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("type", "text");
        message.putObject("text").put("body", request.text());
        ObjectNode root = json.createObjectNode().put("object", "whatsapp_business_account");
        root.putArray("entry").addObject().put("id", "simulated").putArray("changes").addObject()
                .put("field", "messages").set("value", value);
        processor.acceptTrusted(caller.workspaceId(), root.toString());
        return Response.accepted(Map.of("wamid", wamid)).build();
    }

    @GET
    @Path("outbound")
    @Allow(Permission.OPERATIONS)
    public List<MessageView> outbound(@Context CurrentUser caller,
                                      @QueryParam("to") @NotNull @Pattern(regexp = "[0-9]{8,15}") String to) {
        requireSimulated();
        UUID workspaceId = caller.workspaceId();
        return customers.findByWaId(workspaceId, to)
                .map(c -> {
                    List<MessageView> newestFirst = new java.util.ArrayList<>(conversations.latest(workspaceId, c.id(), "OUT", 100));
                    java.util.Collections.reverse(newestFirst);
                    return newestFirst;
                })
                .orElse(List.of());
    }

    private void requireSimulated() {
        if (!simulated) {
            throw new ApiException(ProblemType.NOT_FOUND, "Only available with WHATSAPP_MODE=simulated");
        }
    }
}
