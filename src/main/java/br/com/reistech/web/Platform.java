package br.com.reistech.web;

import br.com.reistech.alerts.Alerts;
import br.com.reistech.config.AppConfig;
import br.com.reistech.media.MediaStore;
import br.com.reistech.persistence.Transactions;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.redisson.api.RedissonClient;

/**
 * The infrastructure the composition root builds by hand and hands to CDI beans through
 * {@link PlatformProducer}: one instance per deployed webapp.
 */
public record Platform(AppConfig config, ObjectMapper json, Transactions transactions, RedissonClient redis,
                       Clock clock, MediaStore media, MeterRegistry metrics, Alerts alerts) {
}
