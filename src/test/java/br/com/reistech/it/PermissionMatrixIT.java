package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.security.AccessFeature;
import br.com.reistech.security.Role;
import br.com.reistech.web.ApiApplication;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Walks every protected resource method of the application and calls it as every role: a role the
 * matrix admits is never refused (401/403), a role it does not admit always gets 403, and a call
 * without a token gets 401. (Public routes answer by their own rules: a webhook without signature is
 * 401, a failed handshake 403.) A new endpoint is covered without touching this test.
 */
@ExtendWith(Environment.Extension.class)
class PermissionMatrixIT {

    private static final String PASSWORD = "Senha-Forte-2026!";

    record Route(String method, String path, AccessFeature.Rule rule) {
    }

    @Test
    void everyRouteAdmitsExactlyTheRolesOfTheMatrix(Environment env) throws Exception {
        ApiClient api = env.api();
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("matrix");
        UUID workspace = api.workspace(platform, slug);
        Map<Role, String> tokens = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            String email = role.name().toLowerCase() + "@matrix.example";
            api.user(platform, workspace, email, role.name(), PASSWORD);
            tokens.put(role, api.tokens(slug, email, PASSWORD).access());
        }

        List<Route> routes = routes();
        List<String> wrong = new ArrayList<>();
        int pairs = 0;
        for (Role role : Role.values()) {
            for (Route route : routes) {
                if (route.rule().isPublic()) {
                    continue;
                }
                int status = api.call(route.method(), route.path(), tokens.get(role), body(route)).status();
                boolean refused = status == 401 || status == 403;
                boolean admitted = route.rule().admits(role);
                if (admitted == refused || (!admitted && status != 403)) {
                    wrong.add(role + " " + route.method() + " " + route.path() + " -> " + status);
                }
                pairs++;
            }
        }
        for (Route route : routes) {
            if (route.rule().isPublic()) {
                continue;
            }
            int status = api.call(route.method(), route.path(), null, body(route)).status();
            if (status != 401) {
                wrong.add("anonymous " + route.method() + " " + route.path() + " -> " + status);
            }
        }
        long protectedRoutes = routes.stream().filter(r -> !r.rule().isPublic()).count();
        System.out.printf("Permission matrix: %d protected routes x %d roles = %d pairs checked, plus %d anonymous calls%n",
                protectedRoutes, Role.values().length, pairs, protectedRoutes);
        assertThat(routes).hasSizeGreaterThanOrEqualTo(18);
        assertThat(wrong).isEmpty();
    }

    /** Every resource method, ids filled with random UUIDs; logout last, since it ends the session. */
    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Class<?> resource : ApiApplication.RESOURCES) {
            String base = "/api/" + resource.getAnnotation(Path.class).value();
            for (Method method : resource.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = (sub == null ? base : base + "/" + sub.value()).replace("{id}", UUID.randomUUID().toString())
                        .replace("{key}", "bot.menu").replace("{list}", "deny").replace("{name}", "api");
                routes.add(new Route(verb, path, AccessFeature.ruleOf(method)));
            }
        }
        routes.sort(Comparator.comparing((Route route) -> route.path().endsWith("/logout")).thenComparing(Route::path));
        return routes;
    }

    private static Object body(Route route) {
        return route.method().equals("POST") || route.method().equals("PUT") ? "{}" : null;
    }

    private static String verb(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }
}
