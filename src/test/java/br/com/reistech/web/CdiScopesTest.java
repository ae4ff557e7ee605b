package br.com.reistech.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.ConversationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * web.xml tells Weld never to activate the request, session and conversation contexts (they cost
 * CPU on every request), which holds only while no bean or producer of the application has one of
 * those scopes (directly or through a stereotype) and none injects Weld's HTTP request or session
 * beans: any of them would fail with ContextNotActiveException at its first use.
 */
class CdiScopesTest {

    private static final List<Class<? extends Annotation>> HTTP_SCOPES =
            List.of(RequestScoped.class, SessionScoped.class, ConversationScoped.class);

    @Test
    void noBeanOrProducerHasAnHttpScope() throws Exception {
        Path classes = Path.of(CompositionRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> scoped = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                checked++;
                List<AnnotatedElement> elements = new ArrayList<>(List.of(type));
                elements.addAll(List.of(type.getDeclaredMethods()));
                elements.addAll(List.of(type.getDeclaredFields()));
                for (AnnotatedElement element : elements) {
                    if (hasHttpScope(element)) {
                        scoped.add(element.toString());
                    }
                }
                // Weld's own HttpServletRequest and HttpSession beans are request- and session-scoped.
                List<Class<?>> injected = new ArrayList<>();
                for (Field field : type.getDeclaredFields()) {
                    if (field.isAnnotationPresent(Inject.class)) {
                        injected.add(field.getType());
                    }
                }
                List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
                executables.addAll(List.of(type.getDeclaredMethods()));
                for (Executable executable : executables) {
                    if (executable.isAnnotationPresent(Inject.class)) {
                        injected.addAll(List.of(executable.getParameterTypes()));
                    }
                }
                if (injected.contains(HttpServletRequest.class) || injected.contains(HttpSession.class)) {
                    scoped.add(type + " injects the HTTP request or session");
                }
            }
        }
        assertThat(checked).as("classes of the application checked").isGreaterThan(100);
        assertThat(scoped).isEmpty();
    }

    /** One of the scopes, directly or through a stereotype. */
    private static boolean hasHttpScope(AnnotatedElement element) {
        for (Annotation annotation : element.getAnnotations()) {
            Class<? extends Annotation> kind = annotation.annotationType();
            if (HTTP_SCOPES.contains(kind) || HTTP_SCOPES.stream().anyMatch(kind::isAnnotationPresent)) {
                return true;
            }
        }
        return false;
    }
}
