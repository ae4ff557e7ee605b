package br.com.reistech.whatsapp;

import br.com.reistech.config.AppConfig;
import br.com.reistech.conversations.ClaimedMessage;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.MessageView;
import br.com.reistech.media.MediaService;
import br.com.reistech.media.MediaView;
import br.com.reistech.web.problem.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.redisson.api.RedissonClient;

/**
 * Sends recorded outbound messages (status {@code pending}) and records the outcome: the wamid and
 * {@code sent}, or {@code failed} with Meta's error code. Each message is claimed before it is sent,
 * so two workers or nodes never send it twice, and no database connection is held while Meta
 * answers. Retries, with backoff, only where nothing can have been delivered: HTTP 5xx, a refused
 * connection, error 130429 (throughput).
 */
@ApplicationScoped
public class OutboundSender {

    private static final int ATTEMPTS = 3;
    /** Longest wait for Redis's pacing slot before this node paces alone. */
    private static final Duration PACING_WAIT = Duration.ofMillis(250);
    /**
     * A claim lapses (its sender presumed dead, the message sent by another) only once the longest
     * attempt, with every retry, would be over, and never before two minutes: a live sender is never
     * raced, now that no lock guards sending.
     */
    private static final Duration MIN_CLAIM_LAPSE = Duration.ofMinutes(2);
    private static final Duration LAPSE_MARGIN = Duration.ofSeconds(30);

    private final ConversationService conversations;
    private final WhatsAppAccountService accounts;
    private final MediaService media;
    private final ObjectMapper json;
    private final WhatsAppTransport transport;
    private final Pacer pacer;
    private final boolean simulated;
    private final Duration claimLapse;
    private final WhatsAppStatus status;

    @Inject
    public OutboundSender(ConversationService conversations, WhatsAppAccountService accounts, MediaService media,
                          WhatsAppClient client, ObjectMapper json, RedissonClient redis, AppConfig config,
                          WhatsAppStatus status) {
        this.status = status;
        this.conversations = conversations;
        this.accounts = accounts;
        this.media = media;
        this.json = json;
        this.simulated = client.simulated();
        this.transport = client.transport();
        this.pacer = new Pacer(redis, PACING_WAIT, config.whatsapp().sendsPerSecond(), config.whatsapp().recipientInterval());
        this.claimLapse = claimLapse(config.whatsapp().httpTimeout(), pacer.longestWait());
    }

    /**
     * How long a claim holds: an upload, then each attempt's pacing wait and call (connect and read
     * timeouts each), and the backoffs between attempts ({@link #deliver}), with a margin; at least
     * two minutes.
     */
    static Duration claimLapse(Duration httpTimeout, Duration longestPacingWait) {
        Duration call = httpTimeout.multipliedBy(2);
        Duration longestAttempt = call.plus(longestPacingWait.plus(call).multipliedBy(ATTEMPTS))
                .plusMillis(250L * ((1L << ATTEMPTS) - 2));
        Duration lapse = longestAttempt.plus(LAPSE_MARGIN);
        return lapse.compareTo(MIN_CLAIM_LAPSE) > 0 ? lapse : MIN_CLAIM_LAPSE;
    }

    /**
     * Sends the customer's pending messages, oldest first, until none is left or another sender has
     * them. The claim alone keeps them in order and each sent once: only the oldest pending message
     * can be claimed, and not while another sender holds it. A sender that finds it held returns
     * at once, trusting the holder, whose next claim sees whatever was recorded before: so two
     * senders of one customer (two nodes, or a flush asked for during another) cost one claim, with
     * no lock to take. Each reply's outcome and the next claim commit together. A person's message
     * is sent by the request that wrote it ({@link #sendReporting}), so it may leave before older bot
     * replies; that request makes no next claim, and hands the customer back to the senders once its
     * message has left ({@link SentByPerson}).
     */
    public void flush(UUID workspaceId, UUID customerId) {
        Optional<ClaimedMessage> next = conversations.claimOldestPending(workspaceId, customerId, claimLapse);
        while (next.isPresent()) {
            Attempt attempt = attempt(workspaceId, next.get());
            if (attempt == null) {
                return;
            }
            // The next claim rides in the outcome's transaction, so it ran before that commit: a sender
            // asked for a reply recorded meanwhile saw ours still held and left it to us. An empty one
            // is therefore asked again, after the commit.
            next = record(workspaceId, next.get().message().id(), attempt, customerId)
                    .or(() -> conversations.claimOldestPending(workspaceId, customerId, claimLapse));
        }
    }

    /** What became of one message. */
    public enum Outcome { SENT, FAILED, BUSY }

    /** The outcome of a send with Meta's answer when it failed. */
    public record Report(Outcome outcome, WhatsAppTransport.Result failure) {
    }

    /** Claims the message (a short transaction), then sends it and records what became of it. */
    Report sendReporting(UUID workspaceId, long messageId) {
        Attempt attempt = conversations.claim(workspaceId, messageId, claimLapse)
                .map(claimed -> attempt(workspaceId, claimed)).orElse(null);
        if (attempt == null) {
            return new Report(Outcome.BUSY, null);
        }
        record(workspaceId, messageId, attempt, null);
        return attempt.result().ok() ? new Report(Outcome.SENT, null) : new Report(Outcome.FAILED, attempt.result());
    }

    /** Meta's answer to a send from the number {@code phoneNumberId} ("simulated" in simulated mode). */
    private record Attempt(String phoneNumberId, WhatsAppTransport.Result result) {
    }

    /**
     * Calls Meta for a message this sender has claimed, outside any transaction. Null when
     * interrupted before the call (shutdown): the claim is given back and the message stays pending
     * for the sweep. Nothing is recorded yet ({@link #record}).
     */
    private Attempt attempt(UUID workspaceId, ClaimedMessage claimed) {
        MessageView message = claimed.message();
        if (Thread.currentThread().isInterrupted()) {
            conversations.unclaim(message.id());
            return null;
        }
        Optional<WhatsAppAccount> account = accounts.forWorkspace(workspaceId);
        String phoneNumberId = account.map(WhatsAppAccount::phoneNumberId).orElse("simulated");
        if (account.isEmpty() && !simulated) {
            return new Attempt(phoneNumberId,
                    new WhatsAppTransport.Result(null, null, "The workspace has no WhatsApp account", false));
        }
        JsonNode content = content(message);
        WhatsAppTransport.Result refused;
        try {
            refused = attachUpload(workspaceId, account.orElse(null), content);
        } catch (ApiException gone) {
            // Its file is no longer there: failed for good, rather than claimed again each time its claim lapses
            // while the customer's later messages wait behind it.
            refused = new WhatsAppTransport.Result(null, null, gone.getMessage(), false);
        }
        WhatsAppTransport.Result result = refused != null ? refused : deliver(account.orElse(null),
                new WhatsAppTransport.Outgoing(claimed.to(), message.type(), message.body(), content));
        if (result == null) {
            conversations.unclaim(message.id());
            return null;
        }
        return new Attempt(phoneNumberId, result);
    }

    /**
     * Records the wamid or the failure and counts it; in the same transaction claims the next reply
     * of {@code nextFor} when that is a customer.
     */
    private Optional<ClaimedMessage> record(UUID workspaceId, long messageId, Attempt attempt, UUID nextFor) {
        WhatsAppTransport.Result result = attempt.result();
        Optional<ClaimedMessage> next = conversations.recordOutcome(messageId, result.ok() ? result.wamid() : null,
                result.errorCode(), result.errorTitle(), workspaceId, nextFor, claimLapse);
        if (result.ok()) {
            status.sent(attempt.phoneNumberId());
        } else {
            status.failed(attempt.phoneNumberId(), result.errorCode(), result.errorTitle());
        }
        return next;
    }

    /** Meta's answer, after pacing and safe retries; null when interrupted before anything was sent. */
    private WhatsAppTransport.Result deliver(WhatsAppAccount account, WhatsAppTransport.Outgoing outgoing) {
        WhatsAppTransport.Result result = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                pacer.await(account == null ? "simulated" : account.phoneNumberId(), outgoing.to());
                result = transport.send(account, outgoing);
                if (result.ok() || !result.retryable() || attempt == ATTEMPTS) {
                    return result;
                }
                Thread.sleep(250L << attempt);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return result;
    }

    /**
     * A message carrying an uploaded file ({@code "upload": <media id>}) names it by Meta's id: the
     * file is uploaded to Meta the first time it is sent, and the id kept. Null when ready to send,
     * otherwise the upload's failure.
     */
    private WhatsAppTransport.Result attachUpload(UUID workspaceId, WhatsAppAccount account, JsonNode content) {
        if (content == null || !content.hasNonNull("upload")) {
            return null;
        }
        UUID mediaId = UUID.fromString(content.path("upload").asText());
        String metaId = media.metaMediaId(workspaceId, mediaId).orElse(null);
        if (metaId == null) {
            MediaView file = media.uploaded(workspaceId, mediaId);
            WhatsAppTransport.Upload upload = transport.upload(account, media.path(file), file.contentType(), file.fileName());
            if (upload.failure() != null) {
                return upload.failure();
            }
            metaId = upload.mediaId();
            media.rememberMetaMediaId(mediaId, metaId);
        }
        ObjectNode object = (ObjectNode) content;
        object.remove("upload");
        object.put("id", metaId);
        return null;
    }

    private JsonNode content(MessageView message) {
        if ("text".equals(message.type())) {
            return null;
        }
        try {
            return json.readTree(message.body());
        } catch (Exception unreadable) {
            return json.createObjectNode();
        }
    }
}
