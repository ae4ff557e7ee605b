package br.com.reistech.conversations;

import java.time.Instant;
import java.util.UUID;

/** A message as the API shows it; {@code mediaId} is its file at {@code /api/media/{mediaId}}, if any. */
public record MessageView(long id, UUID conversationId, UUID customerId, String direction, String wamid, String type,
                          String body, String status, Integer errorCode, String errorTitle, Instant createdAt,
                          UUID mediaId) {
}
