package br.com.reistech.whatsapp;

import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.MessageView;
import br.com.reistech.conversations.OpenConversation;
import br.com.reistech.customers.Customer;
import br.com.reistech.customers.CustomerService;
import br.com.reistech.media.MediaService;
import br.com.reistech.media.MediaView;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Messages sent by people to a customer: supervisors and administrators to any customer of the
 * workspace, agents only to customers whose conversation they hold. Free text only inside the 24-hour
 * customer-service window; templates any time. With an {@code Idempotency-Key}, the first answer
 * is kept for 24 hours and repeated for the same request; the same key with another request is a
 * 422, and while the first is still running a 409.
 */
@ApplicationScoped
public class SendService {

    private static final Duration WINDOW = Duration.ofHours(24);

    private final Transactions transactions;
    private final CustomerService customers;
    private final ConversationService conversations;
    private final OutboundSender sender;
    private final MediaService media;
    private final ObjectMapper json;
    private final Clock clock;
    private final Event<SentByPerson> sentByPerson;

    @Inject
    public SendService(Transactions transactions, CustomerService customers, ConversationService conversations,
                       OutboundSender sender, MediaService media, ObjectMapper json, Clock clock,
                       Event<SentByPerson> sentByPerson) {
        this.sentByPerson = sentByPerson;
        this.transactions = transactions;
        this.media = media;
        this.customers = customers;
        this.conversations = conversations;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
    }

    /** The stored answer of a request: HTTP status and JSON body (a problem without request id when 4xx). */
    public record Answer(int status, String body) {

        /** The HTTP response; a problem gets this request's id (sane by construction: RequestContextFilter). */
        public jakarta.ws.rs.core.Response toResponse(String requestId) {
            boolean problem = status >= 400;
            String entity = problem ? body.replaceFirst("\\{", "{\"requestId\":\"" + requestId + "\",") : body;
            return jakarta.ws.rs.core.Response.status(status)
                    .type(problem ? Problem.MEDIA_TYPE : jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
                    .entity(entity).build();
        }
    }

    public Answer send(CurrentUser actor, SendRequest request, String idempotencyKey) {
        java.util.concurrent.atomic.AtomicLong recorded = new java.util.concurrent.atomic.AtomicLong();
        if (idempotencyKey == null) {
            return answer(() -> new Answer(201, write(sendNow(actor, request, recorded))));
        }
        String hash = hash(request);
        Optional<Answer> earlier = claim(actor.workspaceId(), idempotencyKey, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Answer answer;
        try {
            answer = answer(() -> new Answer(201, write(sendNow(actor, request, recorded))));
        } catch (RuntimeException unexpected) {
            if (recorded.get() == 0) {
                // Nothing recorded yet: free the key, so a retry runs instead of finding "still running".
                transactions.write(() -> transactions.entityManager().createNativeQuery(
                                "delete from idempotent_request where workspace_id = ?1 and idempotency_key = ?2 and status = 0")
                        .setParameter(1, actor.workspaceId()).setParameter(2, idempotencyKey).executeUpdate());
                throw unexpected;
            }
            // The message is recorded and will be sent by the sweep: a retry must not send it again.
            answer = new Answer(202, write(java.util.Map.of("messageId", recorded.get(), "status", "pending")));
        }
        Answer stored = answer;
        transactions.write(() -> transactions.entityManager().createNativeQuery("""
                        update idempotent_request set status = ?3, response = ?4
                        where workspace_id = ?1 and idempotency_key = ?2""")
                .setParameter(1, actor.workspaceId()).setParameter(2, idempotencyKey)
                .setParameter(3, stored.status()).setParameter(4, stored.body()).executeUpdate());
        return stored;
    }

    private MessageView sendNow(CurrentUser actor, SendRequest request, java.util.concurrent.atomic.AtomicLong recorded) {
        UUID workspaceId = actor.workspaceId();
        Customer customer = customers.find(workspaceId, request.customerId())
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such customer"));
        if (!Permission.CONVERSATIONS_ALL.grantedTo(actor.role())) {
            if (!conversations.holds(workspaceId, customer.id(), actor.userId())) {
                throw new ApiException(ProblemType.FORBIDDEN, "Agents message only customers whose conversation they hold");
            }
        }
        String body;
        AtomicReference<UUID> attachment = new AtomicReference<>();
        boolean isTemplate = "template".equals(request.type());
        if (!isTemplate && (customer.lastInboundAt() == null
                || customer.lastInboundAt().plus(WINDOW).isBefore(clock.instant()))) {
            throw new ApiException(ProblemType.WHATSAPP_WINDOW_CLOSED,
                    "The customer's last message is more than 24 hours old: send an approved template instead");
        }
        if ("text".equals(request.type())) {
            if (request.text() == null) {
                throw invalid("text", "is required for a text message");
            }
            body = request.text();
        } else if (!isTemplate) {
            SendRequest.Media media = request.media();
            if (media == null || Stream.of(media.upload(), media.id(), media.link()).filter(Objects::nonNull).count() != 1) {
                throw invalid("media", "needs exactly one of upload, id or link");
            }
            var object = json.createObjectNode();
            if (media.upload() != null) {
                MediaView file = this.media.uploaded(workspaceId, media.upload());
                if (!file.whatsappType().equals(request.type())) {
                    throw invalid("media.upload", "is a " + file.contentType() + " file: send it as type "
                            + file.whatsappType());
                }
                object.put("upload", file.id().toString());
                if ("document".equals(request.type()) && file.fileName() != null) {
                    object.put("filename", file.fileName());
                }
                attachment.set(file.id());
            } else if (media.id() != null) {
                object.put("id", media.id());
            } else {
                object.put("link", media.link());
            }
            if (media.caption() != null && !"audio".equals(request.type()) && !"sticker".equals(request.type())) {
                object.put("caption", media.caption());
            }
            body = object.toString();
        } else {
            if (request.template() == null) {
                throw invalid("template", "is required for a template message");
            }
            var template = json.createObjectNode().put("name", request.template().name());
            template.putObject("language").put("code", request.template().language());
            if (request.template().components() != null) {
                template.set("components", request.template().components());
            }
            body = template.toString();
        }
        long id = transactions.write(() -> {
            OpenConversation conversation = conversations.openFor(workspaceId, customer.id());
            return conversations.recordOutbound(workspaceId, conversation.id(), customer.id(), request.type(), body,
                    actor.userId(), attachment.get());
        });
        recorded.set(id);
        OutboundSender.Report report = sender.sendReporting(workspaceId, id);
        if (report.outcome() != OutboundSender.Outcome.BUSY) {
            sentByPerson.fire(new SentByPerson(workspaceId, customer.id()));
        }
        if (report.outcome() == OutboundSender.Outcome.FAILED) {
            refuse(report.failure());
        }
        return conversations.message(workspaceId, id).orElseThrow();
    }

    private static void refuse(WhatsAppTransport.Result failure) {
        Integer code = failure.errorCode();
        String detail = failure.errorTitle() + (code == null ? "" : " (Meta error " + code + ")");
        if (code != null && code == GraphErrors.OUTSIDE_WINDOW) {
            throw new ApiException(ProblemType.WHATSAPP_WINDOW_CLOSED, detail);
        }
        if (code != null && (code == GraphErrors.PAIR_RATE_LIMIT || code == GraphErrors.THROUGHPUT)) {
            throw new ApiException(ProblemType.WHATSAPP_RATE_LIMITED, detail);
        }
        throw new ApiException(ProblemType.WHATSAPP_REJECTED, detail);
    }

    /** Runs the send and turns a refusal into a stored answer too, so a retry repeats it. */
    private Answer answer(java.util.function.Supplier<Answer> work) {
        try {
            return work.get();
        } catch (ApiException refused) {
            Problem problem = Problem.of(refused.type(), refused.getMessage(), "/api/whatsapp/send", null);
            if (!refused.violations().isEmpty()) {
                problem = problem.withViolations(refused.violations());
            }
            return new Answer(problem.status(), write(problem));
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<Answer> claim(UUID workspaceId, String key, String hash) {
        return transactions.write(() -> {
            transactions.entityManager().createNativeQuery(
                            "delete from idempotent_request where workspace_id = ?1 and idempotency_key = ?2 "
                                    + "and created_at < now() - interval '24 hours'")
                    .setParameter(1, workspaceId).setParameter(2, key).executeUpdate();
            int claimed = transactions.entityManager().createNativeQuery("""
                            insert into idempotent_request (workspace_id, idempotency_key, request_hash, response, status)
                            values (?1, ?2, ?3, '', 0) on conflict do nothing""")
                    .setParameter(1, workspaceId).setParameter(2, key).setParameter(3, hash).executeUpdate();
            if (claimed == 1) {
                return Optional.<Answer>empty();
            }
            Tuple earlier = (Tuple) transactions.entityManager().createNativeQuery("""
                            select request_hash, status, response from idempotent_request
                            where workspace_id = ?1 and idempotency_key = ?2""", Tuple.class)
                    .setParameter(1, workspaceId).setParameter(2, key).getSingleResult();
            if (!hash.equals(earlier.get(0, String.class))) {
                throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used for a different request in the last 24 hours");
            }
            int status = ((Number) earlier.get(1)).intValue();
            if (status == 0) {
                throw new ApiException(ProblemType.CONFLICT, "A request with this Idempotency-Key is still running");
            }
            return Optional.of(new Answer(status, earlier.get(2, String.class)));
        });
    }

    private String hash(SendRequest request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(ProblemType.VALIDATION_FAILED, "The message is incomplete",
                List.of(new Problem.Violation(field, "body", message)));
    }
}
