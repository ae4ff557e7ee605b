package br.com.reistech.logging;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * {@link LoggingMXBean} over one log4j {@link LoggerContext} (the webapp's). The file's levels are
 * remembered before the first change made to a configuration, so {@link #resetLevels()} restores
 * them without reloading the file; a reconfiguration (a new configuration object) starts afresh.
 */
public final class LogLevels implements LoggingMXBean {

    private static final String ROOT = "root";
    private static final String KNOWN_LEVELS = Arrays.stream(Level.values())
            .sorted().map(Level::name).collect(Collectors.joining(", "));

    private final LoggerContext context;
    private Baseline baseline;

    public LogLevels(LoggerContext context) {
        this.context = context;
    }

    @Override
    public Map<String, String> getLevels() {
        Map<String, String> levels = new TreeMap<>();
        context.getConfiguration().getLoggers().forEach((name, config) ->
                levels.put(displayName(name), String.valueOf(config.getLevel())));
        return levels;
    }

    @Override
    public String level(String logger) {
        return context.getConfiguration().getLoggerConfig(configName(logger)).getLevel().name();
    }

    @Override
    public synchronized void setLevel(String logger, String level) {
        Level parsed = parse(level);
        String name = configName(logger);
        Configuration configuration = context.getConfiguration();
        baseline(configuration);
        LoggerConfig config = configuration.getLoggerConfig(name);
        if (config.getName().equals(name)) {
            config.setLevel(parsed);
        } else {
            configuration.addLogger(name, new LoggerConfig(name, parsed, true));
        }
        context.updateLoggers();
    }

    @Override
    public synchronized void resetLevels() {
        Configuration configuration = context.getConfiguration();
        Baseline file = baseline(configuration);
        for (String name : Map.copyOf(configuration.getLoggers()).keySet()) {
            Level original = file.levels().get(name);
            if (original == null) {
                configuration.removeLogger(name);
            } else {
                configuration.getLoggers().get(name).setLevel(original);
            }
        }
        context.updateLoggers();
    }

    private Baseline baseline(Configuration configuration) {
        if (baseline == null || baseline.configuration() != configuration) {
            Map<String, Level> levels = new TreeMap<>();
            configuration.getLoggers().forEach((name, config) -> levels.put(name, config.getLevel()));
            baseline = new Baseline(configuration, Map.copyOf(levels));
        }
        return baseline;
    }

    private static Level parse(String level) {
        Level parsed = level == null ? null : Level.getLevel(level.trim().toUpperCase(java.util.Locale.ROOT));
        if (parsed == null) {
            throw new IllegalArgumentException(
                    "unknown log level '" + level + "': use one of " + KNOWN_LEVELS);
        }
        return parsed;
    }

    private static String configName(String logger) {
        if (logger == null || logger.isBlank()) {
            throw new IllegalArgumentException("a logger name is required (\"root\" for the root logger)");
        }
        String name = logger.trim();
        return ROOT.equalsIgnoreCase(name) ? LogManager.ROOT_LOGGER_NAME : name;
    }

    private static String displayName(String name) {
        return name.isEmpty() ? ROOT : name;
    }

    private record Baseline(Configuration configuration, Map<String, Level> levels) {
    }
}
