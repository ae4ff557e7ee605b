package br.com.reistech.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeasesTest {

    private static final String IP = "ip:10.0.0.1";
    private static final Policy API = new Policy("api", 100_000, Duration.ofSeconds(60), 0);
    private static final List<Decision.Item> ITEMS = List.of(new Decision.Item(API, "user:1"));

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Leases leases = new Leases(now::get);

    @Test
    void aSubjectWithoutRecentDemandAsksForNoLeaseAndIsDecidedInRedis() {
        assertThat(leases.admit(IP, ITEMS)).isNull();
        assertThat(leases.wants(ITEMS)).containsExactly(0);
        leases.done(IP, ITEMS, new int[1], allowed(50_000), now.get(), new int[1], new long[1]);
        assertThat(leases.admit(IP, ITEMS)).isNull();
    }

    @Test
    void aLeaseAdmitsExactlyItsTokensThenSendsTheRequestBackToRedis() {
        int[] wants = busyPeriod(10);
        assertThat(wants).containsExactly(5);
        leases.done(IP, ITEMS, wants, allowed(50_000), now.get(), new int[] {3}, new long[] {5_000});
        for (int left = 2; left >= 0; left--) {
            Decision admitted = leases.admit(IP, ITEMS);
            assertThat(admitted.kind()).isEqualTo(Decision.Kind.ALLOWED);
            assertThat(admitted.remaining()).containsExactly(50_000 - 3 + left);
        }
        assertThat(leases.admit(IP, ITEMS)).isNull();
    }

    @Test
    void oneRequestAtATimeRenewsASubjectsLease() {
        int[] first = busyPeriod(40);
        assertThat(first).containsExactly(20);
        assertThat(leases.wants(ITEMS)).containsExactly(0);
        leases.done(IP, ITEMS, first, null, now.get(), new int[1], new long[1]);
        int[] second = leases.wants(ITEMS);
        assertThat(second).containsExactly(20);
        leases.done(IP, ITEMS, second, allowed(50_000), now.get(), new int[] {20}, new long[] {5_000});
        // A request that found the lease spent just before the renewal ended asks for none.
        assertThat(leases.wants(ITEMS)).containsExactly(0);
        for (int i = 0; i < 20; i++) {
            assertThat(leases.admit(IP, ITEMS)).isNotNull();
        }
        assertThat(leases.wants(ITEMS)).containsExactly(20);
    }

    @Test
    void aLeaseLapsesAtTheEndOfItsTenthOfTheWindowOrAfterTwoHundredMilliseconds() {
        leases.done(IP, ITEMS, busyPeriod(10), allowed(50_000), now.get(), new int[] {5}, new long[] {30});
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(29));
        assertThat(leases.admit(IP, ITEMS)).isNotNull();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(leases.admit(IP, ITEMS)).isNull();

        leases.done(IP, ITEMS, leases.wants(ITEMS), allowed(50_000), now.get(), new int[] {5}, new long[] {60_000});
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(Leases.LEASE_MILLIS - 1));
        assertThat(leases.admit(IP, ITEMS)).isNotNull();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(leases.admit(IP, ITEMS)).isNull();
    }

    @Test
    void aRefusedOrForgottenAddressIsNotAdmittedOnLeases() {
        int[] wants = busyPeriod(10);
        leases.done(IP, ITEMS, wants, Decision.limited(ITEMS, new long[1], new long[1], 1_000, ""), now.get(),
                new int[] {5}, new long[] {5_000});
        assertThat(leases.admit(IP, ITEMS)).isNull();

        leases.done(IP, ITEMS, leases.wants(ITEMS), allowed(50_000), now.get(), new int[] {5}, new long[] {5_000});
        assertThat(leases.admit(IP, ITEMS)).isNotNull();
        leases.forget(IP);
        assertThat(leases.admit(IP, ITEMS)).isNull();
        assertThat(leases.admit("ip:10.0.0.2", ITEMS)).isNull();
    }

    @Test
    void aRequestWithTwoPoliciesTakesATokenFromBothOrFromNeither() {
        List<Decision.Item> two = List.of(ITEMS.get(0), new Decision.Item(API, "ip:10.0.0.1"));
        for (int i = 0; i < 10; i++) {
            assertThat(leases.admit(IP, two)).isNull();
        }
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(Leases.LEASE_MILLIS));
        assertThat(leases.admit(IP, two)).isNull();
        int[] wants = leases.wants(two);
        assertThat(wants).containsExactly(5, 5);
        leases.done(IP, two, wants, Decision.allowed(two, new long[] {50_000, 50_000}, new long[2]), now.get(),
                new int[] {2, 1}, new long[] {5_000, 5_000});
        assertThat(leases.admit(IP, two).remaining()).containsExactly(50_000 - 2 + 1, 50_000 - 1 + 0);
        assertThat(leases.admit(IP, two)).isNull();
        // The first item's token was given back: one is left for a request of that policy alone.
        assertThat(leases.admit(IP, List.of(ITEMS.get(0))).remaining()).containsExactly(50_000 - 2);
    }

    /** {@code requests} requests in one period, then the next: the subject asks for half of them. */
    private int[] busyPeriod(int requests) {
        for (int i = 0; i < requests; i++) {
            assertThat(leases.admit(IP, ITEMS)).isNull();
        }
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(Leases.LEASE_MILLIS));
        assertThat(leases.admit(IP, ITEMS)).isNull();
        return leases.wants(ITEMS);
    }

    private static Decision allowed(long remaining) {
        return Decision.allowed(ITEMS, new long[] {remaining}, new long[] {60_000});
    }
}
