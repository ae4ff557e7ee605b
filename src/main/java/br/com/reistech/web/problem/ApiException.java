package br.com.reistech.web.problem;

import java.util.List;

/**
 * A failure the client should see as a problem: thrown by services and filters, answered by
 * {@link ApiExceptionMapper}. The detail must be safe to show (no secrets, no internals).
 */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.Violation> violations;

    public ApiException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ApiException(ProblemType type, String detail, List<Problem.Violation> violations) {
        super(detail, null, false, false);
        this.type = type;
        this.violations = List.copyOf(violations);
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
