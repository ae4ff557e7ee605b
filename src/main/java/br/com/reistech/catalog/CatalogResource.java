package br.com.reistech.catalog;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

/** {@code /api/catalog/items}: the workspace's catalog. Everyone reads and searches; admins write. */
@ApplicationScoped
@Path("catalog/items")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    private final CatalogService catalog;

    @Inject
    public CatalogResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Allow(Permission.CONTENT_READ)
    public byte[] search(@Context CurrentUser caller,
                                        @QueryParam("q") @Size(max = 200) String q,
                                        @QueryParam("sort") @Size(max = 20) String sort,
                                        @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
                                        @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        // A Page<CatalogItemView>, already JSON (cached so).
        return catalog.pageJson(caller.workspaceId(), q, CatalogSort.parse(sort), page, size);
    }

    @GET
    @Path("{id}")
    @Allow(Permission.CONTENT_READ)
    public CatalogItemView get(@Context CurrentUser caller, @PathParam("id") UUID id) {
        return catalog.get(caller.workspaceId(), id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.CONTENT_WRITE)
    public Response create(@Context CurrentUser caller, @NotNull @Valid CatalogItemRequest request) {
        CatalogItemView created = catalog.create(caller, request);
        return Response.created(URI.create("/api/catalog/items/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Permission.CONTENT_WRITE)
    public CatalogItemView update(@Context CurrentUser caller, @PathParam("id") UUID id,
                                  @NotNull @Valid CatalogItemRequest request) {
        return catalog.update(caller, id, request);
    }

    @DELETE
    @Path("{id}")
    @Allow(Permission.CONTENT_WRITE)
    public Response delete(@Context CurrentUser caller, @PathParam("id") UUID id) {
        catalog.delete(caller, id);
        return Response.noContent().build();
    }
}
