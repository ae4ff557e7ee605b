package br.com.reistech.config;

import java.util.List;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where configuration values come from, in precedence order: system property, environment variable,
 * JNDI {@code java:comp/env}. One key name is used in all three (e.g. {@code DB_URL}).
 */
@FunctionalInterface
public interface ConfigSource {

    Optional<String> get(String key);

    /** The real sources of a running webapp, in precedence order. */
    static ConfigSource system() {
        return firstOf(key -> Optional.ofNullable(System.getProperty(key)),
                key -> Optional.ofNullable(System.getenv(key)),
                ConfigSource::jndi);
    }

    /** The value of the first source that has the key. */
    static ConfigSource firstOf(ConfigSource... sources) {
        List<ConfigSource> ordered = List.of(sources);
        return key -> {
            for (ConfigSource source : ordered) {
                Optional<String> value = source.get(key);
                if (value.isPresent()) {
                    return value;
                }
            }
            return Optional.empty();
        };
    }

    private static Optional<String> jndi(String key) {
        try {
            InitialContext context = new InitialContext();
            try {
                Object value = context.lookup("java:comp/env/" + key);
                return value == null ? Optional.empty() : Optional.of(value.toString());
            } finally {
                context.close();
            }
        } catch (NamingException | RuntimeException notBound) {
            return Optional.empty();
        }
    }
}
