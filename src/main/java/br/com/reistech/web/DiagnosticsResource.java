package br.com.reistech.web;

import br.com.reistech.cache.CacheAdmin;
import br.com.reistech.cache.CacheService;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.Public;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end checks of the error pipeline, registered only when {@code DIAGNOSTICS_ENABLED=true}
 * (never in production):
 * <ul>
 *   <li>{@code GET /api/diagnostics/failure} raises an unexpected exception whose message holds a
 *       phone number, a CPF and a JWT: the client must get a 500 with only a request id, the error
 *       log the stack trace with those masked, Sentry (when configured) the event without them;</li>
 *   <li>{@code POST /api/diagnostics/echo} validates a JSON body and returns it: malformed JSON,
 *       wrong types, unknown fields, invalid values and wrong content types each get their problem.</li>
 *   <li>{@code POST /api/diagnostics/cache/{kind}/{key}} reads a key of a test workspace through the
 *       cache, whose loader is a slow database query counted per key on this node
 *       ({@code GET .../loads}); {@code POST .../invalidate?rollback=} invalidates it inside a
 *       transaction that commits or rolls back.</li>
 * </ul>
 */
@ApplicationScoped
@Path("diagnostics")
public class DiagnosticsResource {

    /** The workspace id of diagnostic cache keys (no such workspace exists). */
    public static final UUID WORKSPACE = new UUID(0, 0xD1A6L);

    private final CacheService cache;
    private final Transactions transactions;
    private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

    @Inject
    public DiagnosticsResource(CacheService cache, Transactions transactions) {
        this.cache = cache;
        this.transactions = transactions;
    }

    @POST
    @Path("cache/{kind}/{key}")
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> cached(@PathParam("kind") String kind, @PathParam("key") String key) {
        String value = cache.getOrSet(CacheAdmin.kind(kind), WORKSPACE, key, String.class, () -> {
            String loaded = transactions.read(() -> (String) transactions.entityManager()
                    .createNativeQuery("select 'loaded at ' || clock_timestamp()::text from pg_sleep(0.2)").getSingleResult());
            loads.computeIfAbsent(kind + "/" + key, k -> new AtomicInteger()).incrementAndGet();
            return loaded;
        });
        return Map.of("value", value);
    }

    @GET
    @Path("cache/{kind}/{key}/loads")
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> loads(@PathParam("kind") String kind, @PathParam("key") String key) {
        return Map.of("loads", loads.getOrDefault(kind + "/" + key, new AtomicInteger()).get());
    }

    @POST
    @Path("cache/{kind}/{key}/invalidate")
    @Public
    public void invalidate(@PathParam("kind") String kind, @PathParam("key") String key,
                           @QueryParam("rollback") boolean rollback) {
        transactions.write(() -> {
            cache.invalidate(CacheAdmin.kind(kind), WORKSPACE, key);
            if (rollback) {
                throw new ApiException(ProblemType.CONFLICT, "Rolled back on purpose");
            }
            return null;
        });
    }

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
        // Personal data in the message, as real failures often have: the logs and Sentry must mask it.
        throw new IllegalStateException("diagnostic failure for customer +55 11 98765-4321, CPF 123.456.789-09, "
                + "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWFnbm9zdGljIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg: "
                + "internal detail that must not reach the client");
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
