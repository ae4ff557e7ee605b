package br.com.reistech.logging;

import br.com.reistech.config.ConfigSource;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.lookup.StrLookup;

/**
 * {@code ${reistech:KEY}} in log4j2.xml: the value of an application configuration key, read from
 * the same sources and in the same precedence as {@link br.com.reistech.config.ConfigLoader}
 * (so {@code LOG_DIR} set as a JNDI entry of the context reaches the logging configuration).
 */
@Plugin(name = "reistech", category = StrLookup.CATEGORY)
public final class ConfigLookup implements StrLookup {

    @Override
    public String lookup(String key) {
        return ConfigSource.system().get(key).orElse(null);
    }

    @Override
    public String lookup(LogEvent event, String key) {
        return lookup(key);
    }
}
