package br.com.reistech.web;

import br.com.reistech.alerts.Alerts;
import br.com.reistech.config.AppConfig;
import br.com.reistech.media.MediaStore;
import br.com.reistech.persistence.Transactions;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.redisson.api.RedissonClient;

/**
 * Exposes the composition root's infrastructure to CDI, so resources, services and repositories
 * receive it by constructor injection. It owns nothing: {@link CompositionRoot} closes what it built.
 */
@ApplicationScoped
public class PlatformProducer {

    private final AtomicReference<Platform> installed = new AtomicReference<>();

    /** Called once by the composition root, before any other bean is used. */
    void install(Platform platform) {
        if (!installed.compareAndSet(null, platform)) {
            throw new IllegalStateException("Platform installed twice");
        }
    }

    private Platform platform() {
        Platform platform = installed.get();
        if (platform == null) {
            throw new IllegalStateException("CDI bean requested before the composition root built the platform");
        }
        return platform;
    }

    @Produces
    public AppConfig config() {
        return platform().config();
    }

    @Produces
    public ObjectMapper json() {
        return platform().json();
    }

    @Produces
    public Transactions transactions() {
        return platform().transactions();
    }

    @Produces
    public RedissonClient redis() {
        return platform().redis();
    }

    @Produces
    public Clock clock() {
        return platform().clock();
    }

    @Produces
    public MediaStore media() {
        return platform().media();
    }

    @Produces
    public MeterRegistry metrics() {
        return platform().metrics();
    }

    @Produces
    public Alerts alerts() {
        return platform().alerts();
    }
}
