package br.com.reistech.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger closings = new AtomicInteger();
    private final CircuitBreaker breaker = new CircuitBreaker(3, 1_000, now::get, closings::incrementAndGet);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.failure();
        breaker.failure();
        breaker.success();
        breaker.failure();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allow()).isFalse();
    }

    @Test
    void letsOneProbeThroughAfterTheOpenPeriodAndClosesOnItsSuccess() {
        open();
        now.addAndGet(999);
        assertThat(breaker.allow()).isFalse();
        now.addAndGet(1);
        assertThat(breaker.allow()).isTrue();
        assertThat(breaker.allow()).isFalse();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(closings).hasValue(1);
        assertThat(breaker.allow()).isTrue();
    }

    @Test
    void aFailedProbeReopensAndALostProbeIsReplaced() {
        open();
        now.addAndGet(1_000);
        assertThat(breaker.allow()).isTrue();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allow()).isFalse();
        now.addAndGet(1_000);
        assertThat(breaker.allow()).isTrue();
        // That probe never reports back: another is let through a period later.
        now.addAndGet(1_000);
        assertThat(breaker.allow()).isTrue();
        assertThat(closings).hasValue(0);
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failure();
        }
    }
}
