package br.com.reistech.whatsapp;

import br.com.reistech.security.Public;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * {@code /api/whatsapp/webhook}, called by Meta. GET is the subscription handshake; POST a signed
 * delivery, answered 200 as soon as it is stored (processing is asynchronous). Bodies over 1 MiB are
 * refused: Meta's deliveries are far smaller.
 */
@ApplicationScoped
@Path("whatsapp/webhook")
public class WebhookResource {

    private static final int MAX_BYTES = 1024 * 1024;

    private final WebhookProcessor processor;
    private final WhatsAppAccountService accounts;

    @Inject
    public WebhookResource(WebhookProcessor processor, WhatsAppAccountService accounts) {
        this.processor = processor;
        this.accounts = accounts;
    }

    @GET
    @Public
    @Produces(MediaType.TEXT_PLAIN)
    public String handshake(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String token,
                            @QueryParam("hub.challenge") String challenge) {
        if (!"subscribe".equals(mode) || token == null || challenge == null || challenge.length() > 200
                || !accounts.matches(known -> verifies(known, token))) {
            throw new ApiException(ProblemType.FORBIDDEN, "Verification failed");
        }
        return challenge;
    }

    /** Whether one of the accounts has this verify token (constant-time compare). */
    private static boolean verifies(List<WhatsAppAccount> candidates, String token) {
        byte[] offered = token.getBytes(StandardCharsets.UTF_8);
        return candidates.stream().anyMatch(a -> MessageDigest.isEqual(offered, a.verifyToken().getBytes(StandardCharsets.UTF_8)));
    }

    @POST
    @Public
    @Consumes(MediaType.WILDCARD)
    public Response receive(InputStream body, @HeaderParam("X-Hub-Signature-256") String signature) throws IOException {
        byte[] raw = body.readNBytes(MAX_BYTES + 1);
        if (raw.length > MAX_BYTES) {
            throw new ApiException(ProblemType.PAYLOAD_TOO_LARGE, "Webhook bodies are limited to 1 MiB");
        }
        processor.accept(raw, signature);
        return Response.ok().build();
    }
}
