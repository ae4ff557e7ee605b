package br.com.reistech.web;

import br.com.reistech.security.Public;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * End-to-end checks of the error pipeline, registered only when {@code DIAGNOSTICS_ENABLED=true}
 * (never in production):
 * <ul>
 *   <li>{@code GET /api/diagnostics/failure} raises an unexpected exception: the client must get a
 *       500 with only a request id, the error log the stack trace;</li>
 *   <li>{@code POST /api/diagnostics/echo} validates a JSON body and returns it: malformed JSON,
 *       wrong types, unknown fields, invalid values and wrong content types each get their problem.</li>
 * </ul>
 */
@ApplicationScoped
@Path("diagnostics")
public class DiagnosticsResource {

    /** A body with one constraint of each common kind. */
    public record EchoRequest(
            @NotBlank @Size(min = 3, max = 100) String nome,
            @NotNull @Email String email,
            @NotNull @Min(1) @Max(10) Integer quantidade) {
    }

    @GET
    @Path("failure")
    @Public
    public String failure() {
        throw new IllegalStateException("diagnostic failure: internal detail that must not reach the client");
    }

    @POST
    @Path("echo")
    @Public
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public EchoRequest echo(@NotNull @Valid EchoRequest request) {
        return request;
    }
}
