package br.com.reistech.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertsTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration REPEAT = Duration.ofMinutes(30);

    private final MutableClock clock = new MutableClock();
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final Alerts alerts = new Alerts(posted::add, "reistech test @ host", SETTLE, REPEAT, clock);

    @AfterEach
    void stop() {
        alerts.close();
    }

    @Test
    void aConditionThatStaysFailingIsAnnouncedOnce() {
        for (int i = 0; i < 50; i++) {
            alerts.observe("health", true, "health is degraded: redis unhealthy");
            clock.advance(Duration.ofSeconds(1));
        }
        await().until(() -> posted.size() == 1);
        assertThat(posted.get(0)).contains(":rotating_light:", "*health*", "redis unhealthy", "reistech test @ host");
        assertThat(alerts.openAlerts()).containsExactly("health");
    }

    @Test
    void aFlappingConditionGivesOneAlertAndOneRecoveryOnceItStaysClear() {
        for (int flap = 0; flap < 5; flap++) {
            alerts.observe("health", true, "degraded");
            clock.advance(Duration.ofSeconds(10));
            alerts.observe("health", false, "");
            clock.advance(Duration.ofSeconds(10));
            alerts.tick();
        }
        assertThat(alerts.openAlerts()).containsExactly("health");
        clock.advance(SETTLE);
        alerts.tick();
        await().until(() -> posted.size() == 2);
        assertThat(posted.get(1)).contains(":white_check_mark:", "*health* recovered");
        assertThat(alerts.openAlerts()).isEmpty();
    }

    @Test
    void theSameFingerprintIsNotAnnouncedAgainWithinTheRepeatIntervalNorItsRecovery() {
        alerts.observe("errors", true, "25 errors");
        alerts.observe("errors", false, "");
        clock.advance(SETTLE);
        alerts.tick();
        alerts.observe("errors", true, "30 errors");
        alerts.observe("errors", false, "");
        clock.advance(SETTLE);
        alerts.tick();
        await().until(() -> posted.size() == 2);
        clock.advance(REPEAT);
        alerts.observe("errors", true, "40 errors");
        await().until(() -> posted.size() == 3);
        assertThat(posted).extracting(text -> text.substring(0, 18))
                .containsExactly(":rotating_light: *", ":white_check_mark:", ":rotating_light: *");
    }

    @Test
    void distinctFingerprintsAreIndependentAndAtMostTwentyMessagesLeaveInAMinute() {
        for (int i = 0; i < 30; i++) {
            alerts.observe("whatsapp:" + i, true, "token invalid");
        }
        await().until(() -> posted.size() == Alerts.PER_MINUTE);
        assertThat(alerts.dropped()).isEqualTo(30 - Alerts.PER_MINUTE);
        assertThat(alerts.openAlerts()).hasSize(30);
    }

    @Test
    void aSlackFailureIsCountedAndNeverReachesTheCaller() {
        Alerts failing = new Alerts(text -> {
            throw new java.io.IOException("Slack answered 500");
        }, "origin", SETTLE, REPEAT, clock);
        try {
            failing.observe("bans", true, "30 bans");
            await().until(() -> failing.dropped() == 1);
            assertThat(failing.sent()).isZero();
        } finally {
            failing.close();
        }
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-30T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
