package br.com.reistech.logging;

import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * {@code %mask{pattern}} in a log4j pattern: formats the inner pattern, then masks it with
 * {@link LogMasker}. Used on the message and on the throwable of every layout
 * ({@code %mask{%msg}%n%mask{%throwable}}; in JSON through the {@code pattern} resolver).
 *
 * <p>WARNING: a layout appends an unmasked stack trace by itself when its pattern has no throwable
 * converter. In a PatternLayout {@code %mask{%throwable}} counts as one; in a JsonTemplateLayout
 * {@code pattern} resolver set {@code "stackTraceEnabled": false}.
 */
@Plugin(name = "MaskingConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"mask"})
public final class MaskingConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;
    private final boolean handlesThrowable;

    private MaskingConverter(List<PatternFormatter> formatters) {
        super("mask", "mask");
        this.formatters = List.copyOf(formatters);
        this.handlesThrowable = formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }

    /** Called by log4j with the options in braces; {@code null} (a configuration error) without one. */
    public static MaskingConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1 || options[0] == null) {
            StatusLogger.getLogger().error("%mask takes exactly one pattern: %mask{%msg}");
            return null;
        }
        // No implicit exception here: the outer layout decides where the throwable goes.
        List<PatternFormatter> formatters =
                PatternLayout.createPatternParser(config).parse(options[0], false, true, true);
        return new MaskingConverter(formatters);
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, toAppendTo);
        }
        LogMasker.mask(toAppendTo, start);
    }

    @Override
    public boolean handlesThrowable() {
        return handlesThrowable;
    }
}
