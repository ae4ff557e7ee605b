package br.com.reistech.config;

import java.util.List;

/**
 * The configuration is unusable. Carries every problem found, so an operator fixes them all in one
 * pass; values of secret keys never appear in the message.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder text = new StringBuilder("ReisTech configuration is invalid (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append("); the application will not start:");
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }
}
