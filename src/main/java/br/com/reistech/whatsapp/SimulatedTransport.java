package br.com.reistech.whatsapp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code WHATSAPP_MODE=simulated}: nothing leaves the machine. Messages stay recorded as sent,
 * uploads get a made-up media id, and there is no customer media to download.
 */
final class SimulatedTransport implements WhatsAppTransport {

    @Override
    public Result send(WhatsAppAccount account, Outgoing message) {
        return Result.sent("wamid.SIMULATED." + UUID.randomUUID());
    }

    @Override
    public void download(WhatsAppAccount account, String mediaId, long maxBytes, MediaSink sink) throws IOException {
        throw new IOException("no media to download in simulated mode");
    }

    @Override
    public Upload upload(WhatsAppAccount account, Path file, String contentType, String fileName) {
        return new Upload("SIMULATED" + Math.abs(UUID.randomUUID().getLeastSignificantBits()), null);
    }
}
