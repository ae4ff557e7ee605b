package br.com.reistech.whatsapp;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.web.RequestContext;
import br.com.reistech.web.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /api/whatsapp/send}: a person sends a message to a customer (Idempotency-Key honoured 24 h). */
@ApplicationScoped
@Path("whatsapp/send")
public class SendResource {

    private final SendService sends;

    @Inject
    public SendResource(SendService sends) {
        this.sends = sends;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Allow(Permission.CONVERSATIONS_OWN)
    public Response send(@Context CurrentUser caller, @Context HttpServletRequest http,
                         @HeaderParam("Idempotency-Key") @Pattern(regexp = "[A-Za-z0-9._:-]{8,200}",
                                 message = "must be 8-200 characters of A-Z a-z 0-9 . _ : -") String key,
                         @NotNull @Valid SendRequest request) {
        return sends.send(caller, request, key).toResponse(RequestContext.requestId(http));
    }
}
