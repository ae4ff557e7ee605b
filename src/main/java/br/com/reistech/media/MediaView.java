package br.com.reistech.media;

import java.time.Instant;
import java.util.UUID;

/**
 * A media file as the API shows it. {@code sha256} and {@code sizeBytes} are null while a customer's
 * media is still being downloaded from Meta; {@code whatsappType} is the message type that carries it.
 */
public record MediaView(UUID id, String source, String contentType, String whatsappType, Long sizeBytes,
                        String sha256, String fileName, Instant createdAt) {
}
