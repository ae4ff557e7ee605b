package br.com.reistech.logging;

import java.util.Map;

/**
 * JMX view of the log levels ({@code br.com.reistech:type=Logging}). Changes last until
 * {@link #resetLevels()}, a redeploy or a restart; they are not written back to log4j2.xml.
 */
public interface LoggingMXBean {

    /** Every configured logger (the root as {@code root}) to its level name, sorted by logger. */
    Map<String, String> getLevels();

    /** The level in force for a logger name: its own, or that of its nearest configured parent. */
    String level(String logger);

    /**
     * Sets a logger's level ({@code OFF FATAL ERROR WARN INFO DEBUG TRACE ALL}, any case); a logger
     * not in the file is added with that level and writes to its parents' appenders.
     *
     * @throws IllegalArgumentException for an unknown level name or an empty logger name
     */
    void setLevel(String logger, String level);

    /** Back to the levels of the loaded log4j2.xml; loggers added through {@link #setLevel} go. */
    void resetLevels();
}
