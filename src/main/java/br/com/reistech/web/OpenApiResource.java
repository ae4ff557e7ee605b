package br.com.reistech.web;

import br.com.reistech.security.Public;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3 document of the API, maintained beside the code in
 * src/main/resources/openapi.json; a unit test fails when a resource method is missing from it.
 */
@ApplicationScoped
@Path("openapi.json")
public class OpenApiResource {

    private final byte[] document;

    public OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the WAR");
            }
            this.document = in.readAllBytes();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    @GET
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() {
        return document;
    }
}
