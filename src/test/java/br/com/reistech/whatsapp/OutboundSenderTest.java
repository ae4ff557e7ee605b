package br.com.reistech.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboundSenderTest {

    @Test
    void aClaimOutlastsTheLongestAttemptWithItsUploadPacingAndRetries() {
        // Defaults: 10 s timeouts, pacing at most 10 s ahead. Upload 20 s, three attempts of 10 + 20 s,
        // backoffs 0.5 + 1 s, margin 30 s.
        assertThat(OutboundSender.claimLapse(Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofMillis(141_500));
        // The longest timeout allowed (60 s): a send may take minutes, and its claim holds that long.
        assertThat(OutboundSender.claimLapse(Duration.ofSeconds(60), Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofMillis(541_500));
    }

    @Test
    void aClaimNeverLapsesBeforeTwoMinutes() {
        assertThat(OutboundSender.claimLapse(Duration.ofMillis(500), Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofMinutes(2));
    }
}
