package br.com.reistech.ratelimit;

import java.util.ArrayList;
import java.util.List;

/**
 * What the limiter decided for one request, with what the response headers need: per applicable
 * policy the requests left and the milliseconds until the window frees one.
 */
public record Decision(Kind kind, List<Item> items, long[] remaining, long[] resetMillis, long retryAfterMillis,
                       String reason) {

    public enum Kind { ALLOWED, LIMITED, BANNED, DENIED, SKIPPED }

    /** A policy applied to one subject. */
    public record Item(Policy policy, String subject) {
    }

    static Decision allowed(List<Item> items, long[] remaining, long[] reset) {
        return new Decision(Kind.ALLOWED, items, remaining, reset, 0, "");
    }

    static Decision limited(List<Item> items, long[] remaining, long[] reset, long retry, String reason) {
        return new Decision(Kind.LIMITED, items, remaining, reset, retry, reason);
    }

    static Decision banned(List<Item> items, long retry, String reason) {
        return new Decision(Kind.BANNED, items, new long[items.size()], new long[items.size()], retry, reason);
    }

    static Decision skipped(Kind kind) {
        return new Decision(kind, List.of(), new long[0], new long[0], 0, "");
    }

    /** {@code RateLimit-Policy}: {@code "api";q=100;w=60, "login";q=5;w=900}. */
    public String policyHeader() {
        List<String> parts = new ArrayList<>();
        items.forEach(item -> parts.add(item.policy().header()));
        return String.join(", ", parts);
    }

    /** {@code RateLimit}: {@code "api";r=42;t=17} per policy (t in whole seconds, rounded up). */
    public String limitHeader() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parts.add("\"" + items.get(i).policy().name() + "\";r=" + remaining[i] + ";t=" + seconds(resetMillis[i]));
        }
        return String.join(", ", parts);
    }

    /** The policies this request exceeded. */
    public List<String> violated() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (remaining[i] <= 0 && kind == Kind.LIMITED) {
                names.add(items.get(i).policy().name());
            }
        }
        return names;
    }

    public long retryAfterSeconds() {
        return Math.max(1, seconds(retryAfterMillis));
    }

    private static long seconds(long millis) {
        return (Math.max(0, millis) + 999) / 1000;
    }
}
