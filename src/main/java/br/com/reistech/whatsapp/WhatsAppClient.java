package br.com.reistech.whatsapp;

import br.com.reistech.config.AppConfig;
import br.com.reistech.config.AppConfig.WhatsAppMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The one transport of the installation: Meta's Cloud API, or the simulated one ({@code WHATSAPP_MODE}). */
@ApplicationScoped
public class WhatsAppClient {

    private final WhatsAppTransport transport;
    private final boolean simulated;

    @Inject
    public WhatsAppClient(AppConfig config, ObjectMapper json) {
        this.simulated = config.whatsapp().mode() == WhatsAppMode.SIMULATED;
        this.transport = simulated ? new SimulatedTransport()
                : new CloudApiTransport(config.whatsapp().graphUrl(), config.whatsapp().httpTimeout(), json);
    }

    WhatsAppTransport transport() {
        return transport;
    }

    boolean simulated() {
        return simulated;
    }
}
