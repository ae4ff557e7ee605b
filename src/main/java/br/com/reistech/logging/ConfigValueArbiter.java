package br.com.reistech.logging;

import br.com.reistech.config.ConfigSource;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.arbiters.Arbiter;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * {@code <ConfigValue key="LOG_FORMAT" value="json">} inside a log4j2.xml {@code <Select>}: keeps its
 * children when the application configuration key has that value (case-insensitive), read from the
 * same sources and in the same precedence as {@link ConfigLookup} (system property, environment,
 * JNDI). An unset key matches nothing, so the {@code <DefaultArbiter>} applies.
 */
@Plugin(name = "ConfigValue", category = Node.CATEGORY, elementType = Arbiter.ELEMENT_TYPE,
        deferChildren = true, printObject = true)
public final class ConfigValueArbiter implements Arbiter {

    private final String key;
    private final String value;
    private final ConfigSource source;

    ConfigValueArbiter(String key, String value, ConfigSource source) {
        this.key = key;
        this.value = value;
        this.source = source;
    }

    @PluginFactory
    public static ConfigValueArbiter create(@PluginAttribute("key") String key,
                                            @PluginAttribute("value") String value) {
        return new ConfigValueArbiter(key, value, ConfigSource.system());
    }

    @Override
    public boolean isCondition() {
        return key != null && value != null
                && source.get(key).map(String::trim).filter(value::equalsIgnoreCase).isPresent();
    }

    @Override
    public String toString() {
        return "ConfigValue[" + key + "=" + value + "]";
    }
}
