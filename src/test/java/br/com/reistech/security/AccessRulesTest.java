package br.com.reistech.security;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.web.ApiApplication;
import jakarta.ws.rs.HttpMethod;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deny by default: every resource method of the API declares exactly one access rule. */
class AccessRulesTest {

    @Test
    void everyResourceMethodDeclaresExactlyOneRule() {
        List<String> undeclared = new ArrayList<>();
        for (Class<?> resource : ApiApplication.RESOURCES) {
            for (Method method : resource.getMethods()) {
                if (isResourceMethod(method)
                        && method.isAnnotationPresent(Allow.class) == method.isAnnotationPresent(Public.class)) {
                    undeclared.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertThat(undeclared).isEmpty();
    }

    @Test
    void aMethodWithoutRuleAdmitsNoRole() {
        AccessFeature.Rule none = new AccessFeature.Rule(null, false);
        assertThat(Arrays.stream(Role.values()).filter(none::admits)).isEmpty();
    }

    @Test
    void platformAdministratorsHoldEveryPermission() {
        assertThat(Arrays.stream(Permission.values()).filter(p -> !p.grantedTo(Role.PLATFORM_ADMIN))).isEmpty();
    }

    @Test
    void onlyPlatformAdministratorsManageWorkspaces() {
        assertThat(Arrays.stream(Role.values()).filter(Permission.WORKSPACES_MANAGE::grantedTo))
                .containsExactly(Role.PLATFORM_ADMIN);
    }

    static boolean isResourceMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }
}
