package br.com.reistech.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Requests this node may admit without asking Redis: tokens the decision script reserved for this
 * node (counted in Redis when reserved, so the cluster never admits more than a policy allows) for
 * a subject that keeps coming. A subject asks for a lease only when its recent rate on this node
 * shows it will spend one: half the requests it made in the last {@value #LEASE_MILLIS} ms (at least
 * {@value #MIN_DEMAND} of them), at most {@value #MAX_LEASE}; the script grants one only while at least {@value #FLOOR} requests are left
 * and never more than a sixteenth of them, so near its limit every request is decided in Redis, one
 * by one, exactly as without leases.
 *
 * <p>A lease lasts {@value #LEASE_MILLIS} ms and never past the tenth of the window it was counted
 * in, so the sliding window's guarantee holds. Tokens left when it lapses stay counted: a subject
 * whose rate drops loses at most one lease's worth. The address's ban is checked by the same script
 * call; a ban set meanwhile (by another node or an administrator) reaches this node's leased
 * requests within {@value #LEASE_MILLIS} ms, like the lists, which are refreshed every 2 s.
 */
final class Leases {

    static final int LEASE_MILLIS = 200;
    static final int MAX_LEASE = 512;
    /** Fewest requests in the last period for a subject to ask for a lease. */
    static final int MIN_DEMAND = 4;
    /** Fewest requests left in the window for the script to grant a lease (kept in the script too). */
    static final int FLOOR = 512;
    private static final long LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS);
    private static final int MAX_SUBJECTS = 100_000;

    /** One policy and subject on this node: its lease and its recent demand. */
    static final class Subject {
        private volatile Lease lease;
        private final AtomicBoolean renewing = new AtomicBoolean();
        private final AtomicInteger thisPeriod = new AtomicInteger();
        private volatile int lastPeriod;
        private volatile long periodStart;
        private volatile long lastUsed;

        private Subject(long now) {
            this.periodStart = now;
            this.lastUsed = now;
        }

        private void seen(long now) {
            lastUsed = now;
            long elapsed = now - periodStart;
            if (elapsed >= LEASE_NANOS) {
                // Two threads may both roll the period over: the demand is an estimate.
                periodStart = now;
                int last = thisPeriod.getAndSet(0);
                lastPeriod = elapsed >= 2 * LEASE_NANOS ? 0 : last;
            }
            thisPeriod.incrementAndGet();
        }
    }

    /** Tokens reserved in Redis, spendable until {@code deadline}. */
    private record Lease(AtomicInteger left, long deadline, long remainingInRedis, long resetMillis) {

        boolean take(long now) {
            if (now - deadline >= 0) {
                return false;
            }
            int tokens;
            do {
                tokens = left.get();
                if (tokens <= 0) {
                    return false;
                }
            } while (!left.compareAndSet(tokens, tokens - 1));
            return true;
        }
    }

    private final Map<Decision.Item, Subject> subjects = new ConcurrentHashMap<>();
    /** Per client address: until when its last decision in Redis (no ban) vouches for it. */
    private final Map<String, Long> unbanned = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    Leases(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * The request admitted on this node's leases, or null when one of its items has none (or the
     * address was not vouched for lately): it is then decided in Redis.
     */
    Decision admit(String ipSubject, List<Decision.Item> items) {
        long now = clock.getAsLong();
        Subject[] found = new Subject[items.size()];
        for (int i = 0; i < items.size(); i++) {
            found[i] = subject(items.get(i), now);
            if (found[i] == null) {
                return null;
            }
            found[i].seen(now);
        }
        Long vouched = unbanned.get(ipSubject);
        if (vouched == null || now - vouched >= 0) {
            return null;
        }
        Lease[] taken = new Lease[items.size()];
        long[] remaining = new long[items.size()];
        long[] reset = new long[items.size()];
        for (int i = 0; i < found.length; i++) {
            Lease lease = found[i].lease;
            if (lease == null || !lease.take(now)) {
                for (int j = 0; j < i; j++) {
                    taken[j].left().incrementAndGet();
                }
                return null;
            }
            taken[i] = lease;
            remaining[i] = lease.remainingInRedis() + lease.left().get();
            reset[i] = lease.resetMillis();
        }
        return Decision.allowed(items, remaining, reset);
    }

    /**
     * How many tokens to ask the script to reserve, per item, for a request decided in Redis: half
     * the demand of the last period, by one request per subject at a time and only once its lease is
     * spent or lapsed (the others ask none, so concurrent renewals do not reserve a lease each).
     * {@link #done} must follow.
     */
    int[] wants(List<Decision.Item> items) {
        int[] wants = new int[items.size()];
        long now = clock.getAsLong();
        for (int i = 0; i < items.size(); i++) {
            Subject subject = subject(items.get(i), now);
            // A lease still spendable is never replaced: its tokens would stay counted, unspent. It is
            // looked at again once this request is the renewer, as a renewal may have just ended.
            if (subject != null && subject.lastPeriod >= MIN_DEMAND && spent(subject.lease, now)
                    && subject.renewing.compareAndSet(false, true)) {
                if (spent(subject.lease, now)) {
                    wants[i] = Math.min(MAX_LEASE, subject.lastPeriod / 2);
                } else {
                    subject.renewing.set(false);
                }
            }
        }
        return wants;
    }

    /**
     * The script's answer to {@link #wants}: the tokens {@code granted} per item (0 for none), spendable
     * for {@code validMillis}, counted from {@code sentAt} (before the script read Redis's clock). A
     * null decision (Redis did not answer) grants nothing.
     */
    void done(String ipSubject, List<Decision.Item> items, int[] wants, Decision decision, long sentAt,
              int[] granted, long[] validMillis) {
        for (int i = 0; i < items.size(); i++) {
            if (wants[i] == 0) {
                continue;
            }
            Subject subject = subjects.get(items.get(i));
            if (subject == null) {
                continue;
            }
            if (decision != null && decision.kind() == Decision.Kind.ALLOWED && granted[i] > 0) {
                long valid = Math.min(LEASE_NANOS, TimeUnit.MILLISECONDS.toNanos(validMillis[i]));
                subject.lease = new Lease(new AtomicInteger(granted[i]), sentAt + valid,
                        decision.remaining()[i] - granted[i], decision.resetMillis()[i]);
            }
            subject.renewing.set(false);
        }
        if (decision != null && decision.kind() == Decision.Kind.ALLOWED && unbanned.size() < MAX_SUBJECTS) {
            unbanned.put(ipSubject, sentAt + LEASE_NANOS);
        }
    }

    private static boolean spent(Lease lease, long now) {
        return lease == null || now - lease.deadline() >= 0 || lease.left().get() <= 0;
    }

    /** This node forgets the address's vouching (a ban or a clear by an administrator). */
    void forget(String ipSubject) {
        unbanned.remove(ipSubject);
    }

    /** Drops what lapsed a while ago; called every minute. */
    void sweep() {
        long now = clock.getAsLong();
        long idle = TimeUnit.MINUTES.toNanos(1);
        subjects.values().removeIf(subject -> now - subject.lastUsed > idle && !subject.renewing.get());
        unbanned.values().removeIf(deadline -> now - deadline > 0);
    }

    void clear() {
        subjects.clear();
        unbanned.clear();
    }

    private Subject subject(Decision.Item item, long now) {
        Subject subject = subjects.get(item);
        if (subject == null && subjects.size() < MAX_SUBJECTS) {
            subject = subjects.computeIfAbsent(item, key -> new Subject(now));
        }
        return subject;
    }
}
