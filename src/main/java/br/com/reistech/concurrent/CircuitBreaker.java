package br.com.reistech.concurrent;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Stops calling Redis after {@code threshold} consecutive failures, so requests go straight to
 * PostgreSQL instead of each waiting for a timeout. After {@code openNanos} one call is let through
 * as a probe: success closes the breaker (and runs {@code onClose}), failure opens it again.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openNanos;
    private final LongSupplier nanoTime;
    private final Runnable onClose;
    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private final AtomicInteger failures = new AtomicInteger();
    private volatile long openedAt;

    public CircuitBreaker(int threshold, long openNanos, LongSupplier nanoTime, Runnable onClose) {
        this.threshold = threshold;
        this.openNanos = openNanos;
        this.nanoTime = nanoTime;
        this.onClose = onClose;
    }

    /**
     * Whether this call may use Redis. Once the open period is over one caller gets true (the probe);
     * a probe that never reports back (its caller found nothing to ask Redis) is replaced after
     * another period.
     */
    public boolean allow() {
        State current = state.get();
        if (current == State.CLOSED) {
            return true;
        }
        long now = nanoTime.getAsLong();
        if (now - openedAt >= openNanos && state.compareAndSet(current, State.HALF_OPEN)) {
            openedAt = now;
            return true;
        }
        return false;
    }

    public void success() {
        failures.set(0);
        State previous = state.getAndSet(State.CLOSED);
        if (previous != State.CLOSED) {
            onClose.run();
        }
    }

    public void failure() {
        if (state.get() == State.HALF_OPEN || failures.incrementAndGet() >= threshold) {
            openedAt = nanoTime.getAsLong();
            state.set(State.OPEN);
        }
    }

    public State state() {
        return state.get();
    }
}
