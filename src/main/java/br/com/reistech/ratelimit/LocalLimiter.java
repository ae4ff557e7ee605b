package br.com.reistech.ratelimit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-node limiter used while Redis is unreachable: the same sliding windows, in this node's
 * memory only (so a cluster of N nodes admits up to N times a limit). Bounded: past
 * {@value #MAX_SUBJECTS} windows, new subjects are refused for policies that fail closed and
 * admitted for the others.
 */
final class LocalLimiter {

    private static final int MAX_SUBJECTS = 100_000;

    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();

    /** Decides the items together, as the Redis script does; bans are not kept here. */
    Decision decide(List<Decision.Item> items, long now) {
        Deque<Long>[] found = new Deque[items.size()];
        synchronized (this) {
            long retry = 0;
            boolean limited = false;
            long[] remaining = new long[items.size()];
            long[] reset = new long[items.size()];
            for (int i = 0; i < items.size(); i++) {
                Decision.Item item = items.get(i);
                String key = item.policy().name() + "|" + item.subject();
                Deque<Long> window = windows.get(key);
                if (window == null) {
                    if (windows.size() >= MAX_SUBJECTS) {
                        if (item.policy().failClosed()) {
                            return Decision.limited(items, new long[items.size()], reset, 60_000, "");
                        }
                        continue;
                    }
                    window = new ArrayDeque<>();
                    windows.put(key, window);
                }
                long windowMillis = item.policy().window().toMillis();
                while (!window.isEmpty() && window.peekFirst() <= now - windowMillis) {
                    window.pollFirst();
                }
                found[i] = window;
                reset[i] = window.isEmpty() ? windowMillis : window.peekFirst() + windowMillis - now;
                remaining[i] = Math.max(0, item.policy().limit() - window.size());
                if (window.size() >= item.policy().limit()) {
                    limited = true;
                    retry = Math.max(retry, reset[i]);
                }
            }
            if (limited) {
                return Decision.limited(items, remaining, reset, retry, "");
            }
            for (int i = 0; i < items.size(); i++) {
                if (found[i] != null) {
                    found[i].addLast(now);
                    remaining[i] = Math.max(0, remaining[i] - 1);
                }
            }
            return Decision.allowed(items, remaining, reset);
        }
    }

    /** Drops what has left every window (and the windows left empty); called now and then. */
    synchronized void sweep(long now, java.util.function.ToLongFunction<String> windowMillisOfPolicy) {
        windows.entrySet().removeIf(entry -> {
            long window = windowMillisOfPolicy.applyAsLong(entry.getKey().substring(0, entry.getKey().indexOf('|')));
            Deque<Long> times = entry.getValue();
            while (!times.isEmpty() && times.peekFirst() <= now - window) {
                times.pollFirst();
            }
            return times.isEmpty();
        });
    }

    /** Redis decides again: what this node counted alone is forgotten. */
    synchronized void clearAll() {
        windows.clear();
    }

    synchronized void clear(String subject) {
        windows.keySet().removeIf(key -> key.endsWith("|" + subject));
    }
}
