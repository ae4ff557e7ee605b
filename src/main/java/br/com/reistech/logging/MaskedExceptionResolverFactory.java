package br.com.reistech.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * {@code {"$resolver": "maskedException", "field": "className" | "message" | "stackTrace"}} in a
 * JsonTemplateLayout template: the event's throwable passed through {@link LogMasker}. Unlike the
 * {@code pattern} resolver, it resolves to nothing when the event has no throwable, so the
 * {@code error} object only appears on lines that carry one. The stack trace includes causes and
 * suppressed exceptions, as {@link Throwable#printStackTrace()} writes them.
 */
@Plugin(name = "MaskedExceptionResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class MaskedExceptionResolverFactory implements EventResolverFactory {

    private static final MaskedExceptionResolverFactory INSTANCE = new MaskedExceptionResolverFactory();

    private MaskedExceptionResolverFactory() {
    }

    @PluginFactory
    public static MaskedExceptionResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return "maskedException";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        String field = config.getString("field");
        if (field == null) {
            throw new IllegalArgumentException("maskedException needs a field: className, message or stackTrace");
        }
        return switch (field) {
            case "className" -> new Resolver(thrown -> thrown.getClass().getName());
            case "message" -> new Resolver(thrown -> LogMasker.mask(thrown.getMessage()));
            case "stackTrace" -> new Resolver(thrown -> LogMasker.mask(stackTrace(thrown)));
            default -> throw new IllegalArgumentException(
                    "maskedException field '" + field + "' is not one of className, message, stackTrace");
        };
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter(2048);
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private record Resolver(java.util.function.Function<Throwable, String> render) implements EventResolver {

        @Override
        public boolean isResolvable(LogEvent event) {
            return event.getThrown() != null;
        }

        @Override
        public void resolve(LogEvent event, JsonWriter writer) {
            Throwable thrown = event.getThrown();
            String text = thrown == null ? null : render.apply(thrown);
            if (text == null) {
                writer.writeNull();
            } else {
                writer.writeString(text);
            }
        }
    }
}
