package br.com.reistech.web;

import br.com.reistech.audit.AuditResource;
import br.com.reistech.cache.CacheResource;
import br.com.reistech.catalog.CatalogResource;
import br.com.reistech.cms.CmsResource;
import br.com.reistech.media.MediaResource;
import br.com.reistech.metrics.RouteRecorder;
import br.com.reistech.queue.ConversationResource;
import br.com.reistech.ratelimit.RateLimitResource;
import br.com.reistech.queue.QueueResource;
import br.com.reistech.security.AccessFeature;
import br.com.reistech.security.AuthResource;
import br.com.reistech.security.CurrentUserParam;
import br.com.reistech.users.UserResource;
import br.com.reistech.web.problem.ProblemExceptionMapper;
import br.com.reistech.whatsapp.DevWhatsAppResource;
import br.com.reistech.whatsapp.SendResource;
import br.com.reistech.whatsapp.WebhookResource;
import br.com.reistech.whatsapp.WhatsAppAccountResource;
import br.com.reistech.workspaces.WorkspaceResource;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The JAX-RS application under {@code /api}: every resource class is listed in {@link #RESOURCES},
 * the one place that says what the API serves (the OpenAPI test walks the same list).
 * Jackson's own exception mappers are left out: {@link ProblemExceptionMapper} answers every error.
 */
public final class ApiApplication extends ResourceConfig {

    /** Every resource of the API. */
    public static final List<Class<?>> RESOURCES = List.of(OpenApiResource.class, AuthResource.class,
            WorkspaceResource.class, UserResource.class, CmsResource.class, CatalogResource.class,
            WhatsAppAccountResource.class, WebhookResource.class, SendResource.class, DevWhatsAppResource.class,
            QueueResource.class, ConversationResource.class, MediaResource.class, CacheResource.class,
            RateLimitResource.class, AuditResource.class);

    public ApiApplication(ObjectMapper json, boolean diagnostics, AccessFeature access) {
        RESOURCES.forEach(this::register);
        register(access);
        register(CurrentUserParam.binder());
        if (diagnostics) {
            register(DiagnosticsResource.class);
        }
        register(JacksonFeature.withoutExceptionMappers());
        register(new ObjectMapperResolver(json));
        register(ProblemExceptionMapper.Any.class);
        register(ProblemExceptionMapper.Validation.class);
        register(ProblemExceptionMapper.Json.class);
        register(RouteRecorder.class);
        property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        property(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED, true);
    }
}
