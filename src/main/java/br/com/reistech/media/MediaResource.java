package br.com.reistech.media;

import br.com.reistech.security.Allow;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;

/**
 * {@code /api/media}: agents upload files to send ({@code multipart/form-data}, one part named
 * {@code file}) and read the files of their conversations. Files are served with their stored type,
 * never sniffed, sandboxed, and as attachments unless they are images, audio or video.
 */
@ApplicationScoped
@Path("media")
public class MediaResource {

    /** Room for the multipart boundaries and part headers around the file. */
    public static final long ENVELOPE_BYTES = 64 * 1024;
    private static final CacheControl PRIVATE = CacheControl.valueOf("private, max-age=3600");

    private final MediaService media;

    @Inject
    public MediaResource(MediaService media) {
        this.media = media;
    }

    /** No {@code @Consumes}: the type is checked here, after authentication, so strangers learn nothing. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Allow(Permission.CONVERSATIONS_OWN)
    public Response upload(@Context CurrentUser user, @Context HttpServletRequest request,
                           @Context UriInfo uri) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(MediaType.MULTIPART_FORM_DATA)) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the file as multipart/form-data");
        }
        long declared = request.getContentLengthLong();
        if (declared > media.maxBytes() + ENVELOPE_BYTES) {
            throw tooLarge();
        }
        Part file;
        try {
            file = request.getPart("file");
        } catch (IllegalStateException overLimit) {
            throw tooLarge();
        } catch (IOException | ServletException unreadable) {
            throw new ApiException(ProblemType.BAD_REQUEST, "The multipart body could not be read");
        }
        if (file == null || file.getSubmittedFileName() == null) {
            throw new ApiException(ProblemType.BAD_REQUEST, "Send the file as a multipart/form-data part named 'file'");
        }
        try (InputStream content = file.getInputStream()) {
            MediaView stored = media.upload(user, file.getSubmittedFileName(), file.getContentType(), content);
            return Response.created(uri.getAbsolutePathBuilder().path(stored.id().toString()).build())
                    .entity(stored).build();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        } finally {
            try {
                file.delete();
            } catch (IOException ignored) {
                // Tomcat removes its temporary part files at the end of the request anyway
            }
        }
    }

    @GET
    @Path("{id}")
    @Allow(Permission.CONVERSATIONS_OWN)
    public Response download(@Context CurrentUser caller, @Context Request request, @PathParam("id") UUID id) {
        MediaView view = media.readable(caller, id);
        EntityTag tag = new EntityTag(view.sha256());
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        if (unchanged != null) {
            return unchanged.cacheControl(PRIVATE).build();
        }
        java.nio.file.Path file = media.path(view);
        String name = view.fileName() != null ? view.fileName() : view.id().toString();
        String disposition = (MediaTypes.inline(view.contentType()) ? "inline" : "attachment")
                + "; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return Response.ok((jakarta.ws.rs.core.StreamingOutput) out -> Files.copy(file, out), view.contentType())
                .header("Content-Length", view.sizeBytes())
                .header("Content-Disposition", disposition)
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .tag(tag)
                .cacheControl(PRIVATE)
                .build();
    }

    @GET
    @Path("{id}/info")
    @Produces(MediaType.APPLICATION_JSON)
    @Allow(Permission.CONVERSATIONS_OWN)
    public MediaView info(@Context CurrentUser caller, @PathParam("id") UUID id) {
        return media.describe(caller, id);
    }

    private ApiException tooLarge() {
        return new ApiException(ProblemType.PAYLOAD_TOO_LARGE, "Media files may be at most " + media.maxBytes() + " bytes");
    }
}
