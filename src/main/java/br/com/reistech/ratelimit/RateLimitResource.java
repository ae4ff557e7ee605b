package br.com.reistech.ratelimit;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /api/admin/rate-limit}: policies, bans and IP lists at run time (platform administrators). */
@ApplicationScoped
@Path("admin/rate-limit")
@Produces(MediaType.APPLICATION_JSON)
public class RateLimitResource {

    public record IpRequest(@NotBlank @Size(max = 64) String ip) {
    }

    public record BanRequest(@NotBlank @Size(max = 64) String ip, @NotNull @Min(1) @Max(43_200) Integer minutes,
                             @NotBlank @Size(max = 200) String reason) {
    }

    public record ListRequest(@NotBlank @Size(max = 64) String cidr, @Size(max = 200) String reason) {
    }

    public record PolicyRequest(@NotNull @Min(1) @Max(1_000_000) Integer limit,
                                @NotNull @Min(1) @Max(86_400) Integer windowSeconds,
                                @Min(0) @Max(1000) Integer banAfter) {
    }

    private final RateLimitAdmin admin;

    @Inject
    public RateLimitResource(RateLimitAdmin admin) {
        this.admin = admin;
    }

    @POST
    @Path("clear")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.RATE_LIMITS)
    public Map<String, Object> clear(@Context CurrentUser caller, @NotNull @Valid IpRequest request) {
        valid("ip", () -> {
            admin.clear(caller.userId(), request.ip());
            return null;
        });
        return Map.of("cleared", request.ip());
    }

    @GET
    @Path("bans")
    @Allow(Permission.RATE_LIMITS)
    public Map<String, Map<String, Object>> bans() {
        return admin.bans();
    }

    @POST
    @Path("bans")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.RATE_LIMITS)
    public Response ban(@Context CurrentUser caller, @NotNull @Valid BanRequest request) {
        valid("ip", () -> {
            admin.ban(caller.userId(), request.ip(), Duration.ofMinutes(request.minutes()), request.reason());
            return null;
        });
        return Response.status(201).entity(Map.of("banned", request.ip(), "minutes", request.minutes())).build();
    }

    @DELETE
    @Path("bans")
    @Allow(Permission.RATE_LIMITS)
    public Response unban(@Context CurrentUser caller, @QueryParam("ip") String ip) {
        boolean removed = valid("ip", () -> admin.unban(caller.userId(), ip));
        if (!removed) {
            throw new ApiException(ProblemType.NOT_FOUND, "No ban for this address");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("lists")
    @Allow(Permission.RATE_LIMITS)
    public Map<String, List<String>> lists() {
        return admin.lists();
    }

    @POST
    @Path("lists/{list}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.RATE_LIMITS)
    public Map<String, List<String>> listAdd(@Context CurrentUser caller, @PathParam("list") String list,
                                             @NotNull @Valid ListRequest request) {
        valid("cidr", () -> {
            admin.list(caller.userId(), list, request.cidr(), request.reason(), true);
            return null;
        });
        return admin.lists();
    }

    @DELETE
    @Path("lists/{list}")
    @Allow(Permission.RATE_LIMITS)
    public Map<String, List<String>> listRemove(@Context CurrentUser caller, @PathParam("list") String list,
                                                @QueryParam("cidr") String cidr) {
        valid("cidr", () -> {
            admin.list(caller.userId(), list, cidr, null, false);
            return null;
        });
        return admin.lists();
    }

    @GET
    @Path("policies")
    @Allow(Permission.RATE_LIMITS)
    public Map<String, String> policies() {
        return admin.getPolicies();
    }

    @PUT
    @Path("policies/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.RATE_LIMITS)
    public Map<String, String> setPolicy(@Context CurrentUser caller, @PathParam("name") String name,
                                         @NotNull @Valid PolicyRequest request) {
        valid("policy", () -> admin.setPolicy(caller.userId(), name, request.limit() + "/"
                + request.windowSeconds() + "/" + (request.banAfter() == null ? 0 : request.banAfter())));
        return admin.getPolicies();
    }

    /** Runs {@code change}: invalid input is a 400 naming {@code field}, Redis away a 503. */
    private static <T> T valid(String field, Supplier<T> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException invalid) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "Invalid " + field,
                    List.of(new Problem.Violation(field, "body", invalid.getMessage())));
        } catch (org.redisson.client.RedisException redisDown) {
            throw new ApiException(ProblemType.SERVICE_UNAVAILABLE, "Redis, where limits and lists live, does not answer");
        }
    }
}
