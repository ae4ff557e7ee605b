package br.com.reistech.whatsapp;

import java.util.UUID;

/** {@code WHATSAPP_MODE=simulated}: nothing leaves the machine; the message stays recorded as sent. */
final class SimulatedTransport implements WhatsAppTransport {

    @Override
    public Result send(WhatsAppAccount account, Outgoing message) {
        return Result.sent("wamid.SIMULATED." + UUID.randomUUID());
    }
}
