package br.com.reistech.web.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem details body, {@code application/problem+json}. 5xx problems carry no
 * {@code detail}: only the request id, which also appears in the error log.
 *
 * @param retryAfter seconds, for 429 and 503
 * @param violatedPolicies the rate-limit policies a 429 {@code quota-exceeded} exceeded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance,
                      String requestId, List<Violation> violations, Long retryAfter,
                      @JsonProperty("violated-policies") List<String> violatedPolicies) {

    /** Media type of every error response. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input: {@code in} is body, query, path or header. */
    public record Violation(String field, String in, String message) {
    }

    public static Problem of(ProblemType type, String detail, String instance, String requestId) {
        return new Problem(type.uri(), type.title(), type.status(),
                type.status() >= 500 ? null : detail, instance, requestId, null, null, null);
    }

    public Problem withViolations(List<Violation> list) {
        return new Problem(type, title, status, detail, instance, requestId, List.copyOf(list), retryAfter,
                violatedPolicies);
    }

    public Problem withRetryAfter(long seconds) {
        return new Problem(type, title, status, detail, instance, requestId, violations, seconds, violatedPolicies);
    }

    public Problem withViolatedPolicies(List<String> policies) {
        return new Problem(type, title, status, detail, instance, requestId, violations, retryAfter, List.copyOf(policies));
    }
}
