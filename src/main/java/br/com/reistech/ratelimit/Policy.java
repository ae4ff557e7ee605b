package br.com.reistech.ratelimit;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate-limit policy: at most {@code limit} requests in any {@code window} (a sliding window, so
 * never more, whatever the timing), per subject. A subject that keeps exceeding it (violations
 * counted with decay) is banned after {@code banAfter} violations; 0 never bans.
 */
public record Policy(String name, int limit, Duration window, int banAfter) {

    private static final Pattern TEXT = Pattern.compile("([0-9]{1,7})/([0-9]{1,7})(?:/([0-9]{1,4}))?");

    public Policy {
        if (limit < 1 || limit > 1_000_000) {
            throw new IllegalArgumentException("the limit must be 1 to 1000000 requests");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the window must be 1 to 86400 seconds");
        }
        if (banAfter < 0 || banAfter > 1000) {
            throw new IllegalArgumentException("banAfter must be 0 (never) to 1000 violations");
        }
    }

    /** {@code limit/windowSeconds[/banAfter]}, e.g. {@code 5/900/3}. */
    public static Policy parse(String name, String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be limit/windowSeconds[/banAfter], e.g. 5/900/3");
        }
        return new Policy(name, Integer.parseInt(matcher.group(1)), Duration.ofSeconds(Long.parseLong(matcher.group(2))),
                matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3)));
    }

    /**
     * Whether, with Redis unreachable and this node's memory of windows full, a new subject is
     * refused: yes for login and sending (abuse costs accounts and money), no for the general
     * {@code api} policy (the service keeps answering).
     */
    public boolean failClosed() {
        return !"api".equals(name);
    }

    /** The form {@link #parse} reads. */
    public String text() {
        return limit + "/" + window.toSeconds() + "/" + banAfter;
    }

    /** {@code "api";q=100;w=60}, an item of the {@code RateLimit-Policy} header. */
    public String header() {
        return "\"" + name + "\";q=" + limit + ";w=" + window.toSeconds();
    }
}
