package br.com.reistech.web;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.security.AccessFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every resource method the application serves, with its permission. */
class OpenApiDocumentTest {

    @Test
    void everyResourceMethodIsDocumented() throws Exception {
        JsonNode paths;
        try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi.json")) {
            paths = new ObjectMapper().readTree(in).path("paths");
        }
        List<String> missing = new ArrayList<>();
        for (Class<?> resource : ApiApplication.RESOURCES) {
            String base = "/api/" + resource.getAnnotation(Path.class).value();
            for (Method method : resource.getMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = sub == null ? base : base + "/" + sub.value().replaceAll("^/", "");
                JsonNode operation = paths.path(path).path(verb.toLowerCase(Locale.ROOT));
                AccessFeature.Rule rule = AccessFeature.ruleOf(method);
                String permission = rule.isPublic() ? "PUBLIC" : String.valueOf(rule.permission());
                if (!permission.equals(operation.path("x-permission").asText())) {
                    missing.add(verb + " " + path + " (" + permission + ")");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }
}
