package br.com.reistech.metrics;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.List;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Tells the request metrics which route JAX-RS matched ({@code /api/catalog/items/{id}}), as the
 * request attribute {@link Metrics#ROUTE} (Jersey's request properties are the servlet request's
 * attributes). Requests JAX-RS matched no resource for have none.
 */
public final class RouteRecorder implements ContainerResponseFilter {

    private static final Pattern DOUBLE_SLASHES = Pattern.compile("/{2,}");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        List<UriTemplate> templates = ((ExtendedUriInfo) request.getUriInfo()).getMatchedTemplates();
        if (templates.isEmpty()) {
            return;
        }
        StringBuilder route = new StringBuilder("/api");
        for (int i = templates.size() - 1; i >= 0; i--) {
            route.append(templates.get(i).getTemplate()); // each begins with '/'; a bare "/" leaves "//"
        }
        String normalized = route.indexOf("//") < 0 ? route.toString() : DOUBLE_SLASHES.matcher(route).replaceAll("/");
        request.setProperty(Metrics.ROUTE, normalized.length() > 4 && normalized.endsWith("/")
                ? normalized.substring(0, normalized.length() - 1) : normalized);
    }
}
