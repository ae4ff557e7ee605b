package br.com.reistech.web.problem;

import java.net.URI;

/**
 * Every kind of error the API answers, each with a stable {@code type} URI (RFC 9457 §3.1.1).
 * docs/problems.md lists them; a new constant needs a line there.
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", 400, "Bad request"),
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
    INVALID_BODY("invalid-body", 400, "Request body does not match the expected shape"),
    VALIDATION_FAILED("validation-failed", 400, "Validation failed"),
    INVALID_PARAMETER("invalid-parameter", 400, "Invalid parameter"),
    SUSPICIOUS_INPUT("suspicious-input", 400, "Input refused as a likely attack"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    CONFLICT("conflict", 409, "Conflict"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency key reused with another request"),
    WHATSAPP_WINDOW_CLOSED("whatsapp-window-closed", 422, "Outside the 24-hour customer service window"),
    WHATSAPP_REJECTED("whatsapp-rejected", 422, "WhatsApp refused the message"),
    WHATSAPP_RATE_LIMITED("whatsapp-rate-limited", 429, "WhatsApp rate limit reached"),
    QUOTA_EXCEEDED("quota-exceeded", 429, "Rate limit exceeded"),
    BANNED("banned", 429, "Temporarily banned"),
    IP_DENIED("ip-denied", 403, "Address denied"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable"),
    INTERNAL_ERROR("internal-error", 500, "Internal server error");

    /** Base of every problem type URI. */
    public static final String BASE = "https://docs.reistech.com.br/problems/";

    private final URI uri;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.uri = URI.create(BASE + slug);
        this.status = status;
        this.title = title;
    }

    /** True for the one type that stands for its whole status code. */
    private boolean generic() {
        return switch (this) {
            case MALFORMED_JSON, INVALID_BODY, VALIDATION_FAILED, INVALID_PARAMETER, SUSPICIOUS_INPUT, IDEMPOTENCY_KEY_REUSED,
                 WHATSAPP_WINDOW_CLOSED, WHATSAPP_REJECTED, WHATSAPP_RATE_LIMITED, BANNED, IP_DENIED -> false;
            default -> true;
        };
    }

    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The type for an HTTP error status raised by the container or JAX-RS itself. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type.generic()) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
