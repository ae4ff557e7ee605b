package br.com.reistech.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.ConversationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.SessionScoped;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * web.xml tells Weld never to activate the request, session and conversation contexts (they cost
 * CPU on every request), which holds only while no bean or producer of the application has one of
 * those scopes: a bean that had one would fail with ContextNotActiveException at its first use.
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
                    if (HTTP_SCOPES.stream().anyMatch(element::isAnnotationPresent)) {
                        scoped.add(element.toString());
                    }
                }
            }
        }
        assertThat(checked).as("classes of the application checked").isGreaterThan(100);
        assertThat(scoped).isEmpty();
    }
}
