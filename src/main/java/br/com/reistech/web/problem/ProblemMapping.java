package br.com.reistech.web.problem;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ParamException;

/**
 * Turns any exception into the problem the client sees. One place decides, for every mapper:
 * client mistakes get a safe, specific detail; dependency outages 503 with {@code Retry-After};
 * everything else 500 with nothing but the request id.
 */
public final class ProblemMapping {

    private ProblemMapping() {
    }

    public static Problem toProblem(Throwable failure, String instance, String requestId) {
        if (failure instanceof ApiException api) {
            Problem problem = Problem.of(api.type(), api.getMessage(), instance, requestId);
            return api.violations().isEmpty() ? problem : problem.withViolations(api.violations());
        }
        if (failure instanceof ConstraintViolationException invalid) {
            return Problem.of(ProblemType.VALIDATION_FAILED, "The request has invalid fields", instance, requestId)
                    .withViolations(violations(invalid));
        }
        if (failure instanceof JacksonException json) {
            return Problem.of(jsonType(json), jsonDetail(json), instance, requestId);
        }
        if (failure instanceof ParamException.PathParamException) {
            return Problem.of(ProblemType.NOT_FOUND, "No resource matches this path", instance, requestId);
        }
        if (failure instanceof ParamException param) {
            String in = param instanceof ParamException.HeaderParamException ? "header" : "query";
            return Problem.of(ProblemType.INVALID_PARAMETER, "Parameter '" + param.getParameterName() + "' is invalid",
                    instance, requestId).withViolations(List.of(new Problem.Violation(param.getParameterName(), in,
                    "has an invalid value")));
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return Problem.of(ProblemType.forStatus(status), webDetail(web, status), instance, requestId);
        }
        if (hasSqlState(failure, state -> state.equals("40P01") || state.equals("40001"))) {
            // Deadlock or serialization failure: the database chose this request to give way.
            return Problem.of(ProblemType.CONFLICT, "A concurrent change got in the way; retry", instance, requestId);
        }
        if (isUniqueViolation(failure)) {
            // A check-then-insert race lost to a concurrent request: the database constraint decided.
            return Problem.of(ProblemType.CONFLICT, "The resource changed concurrently or already exists; retry",
                    instance, requestId);
        }
        if (isConnectionFailure(failure)) {
            return Problem.of(ProblemType.SERVICE_UNAVAILABLE, null, instance, requestId).withRetryAfter(5);
        }
        return Problem.of(ProblemType.INTERNAL_ERROR, null, instance, requestId);
    }

    /** True for failures the client caused, which are not logged as errors. */
    public static boolean isClientError(Problem problem) {
        return problem.status() < 500;
    }

    private static ProblemType jsonType(JacksonException json) {
        boolean syntax = json instanceof StreamReadException && !(json instanceof DatabindException);
        // FAIL_ON_TRAILING_TOKENS reports content after the document as a mapping problem; it is syntax.
        boolean trailing = json instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()
                && String.valueOf(mismatch.getOriginalMessage()).startsWith("Trailing token");
        return syntax || trailing ? ProblemType.MALFORMED_JSON : ProblemType.INVALID_BODY;
    }

    private static String jsonDetail(JacksonException json) {
        if (!(json instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return jsonType(json) == ProblemType.INVALID_BODY
                    ? "The request body does not have the expected shape"
                    : "The request body is not valid JSON";
        }
        String field = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return json instanceof UnrecognizedPropertyException
                ? "Unknown field '" + field + "'"
                : "Field '" + field + "' has a value of the wrong type or format";
    }

    private static String webDetail(WebApplicationException web, int status) {
        return switch (status) {
            case 404 -> "No resource matches this path";
            case 405 -> "Method not allowed here; allowed: " + String.join(", ",
                    ((NotAllowedException) web).getResponse().getAllowedMethods());
            case 406 -> "None of the accepted media types can be produced";
            case 415 -> "This content type is not supported here";
            default -> ProblemType.forStatus(status).title();
        };
    }

    private static List<Problem.Violation> violations(ConstraintViolationException invalid) {
        List<Problem.Violation> list = new ArrayList<>();
        for (ConstraintViolation<?> violation : invalid.getConstraintViolations()) {
            list.add(violation(violation));
        }
        list.sort(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message));
        return list;
    }

    /**
     * Where the invalid value came from: a {@code @QueryParam}, {@code @PathParam} or
     * {@code @HeaderParam} parameter is named by its HTTP name; anything else is in the body.
     */
    private static Problem.Violation violation(ConstraintViolation<?> violation) {
        String method = null;
        Integer index = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                method = node.getName();
            } else if (node.getKind() == ElementKind.PARAMETER) {
                index = node.as(Path.ParameterNode.class).getParameterIndex();
            }
        }
        if (method != null && index != null && violation.getRootBeanClass() != null) {
            for (java.lang.reflect.Method candidate : violation.getRootBeanClass().getMethods()) {
                if (candidate.getName().equals(method) && candidate.getParameterCount() > index) {
                    for (java.lang.annotation.Annotation annotation : candidate.getParameterAnnotations()[index]) {
                        if (annotation instanceof jakarta.ws.rs.QueryParam query) {
                            return new Problem.Violation(query.value(), "query", violation.getMessage());
                        }
                        if (annotation instanceof jakarta.ws.rs.PathParam path) {
                            return new Problem.Violation(path.value(), "path", violation.getMessage());
                        }
                        if (annotation instanceof jakarta.ws.rs.HeaderParam header) {
                            return new Problem.Violation(header.value(), "header", violation.getMessage());
                        }
                    }
                }
            }
        }
        return new Problem.Violation(field(violation.getPropertyPath()), "body", violation.getMessage());
    }

    /** The property path below the method parameter: {@code create.request.email} becomes {@code email}. */
    private static String field(Path path) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
            }
        }
        if (names.isEmpty()) {
            String last = "";
            for (Path.Node node : path) {
                last = node.getName();
            }
            return last;
        }
        return String.join(".", names);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        return hasSqlState(failure, "23505"::equals);
    }

    private static boolean hasSqlState(Throwable failure, Predicate<String> state) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null && state.test(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database is out of reach: no connection from the pool, a broken connection (SQLState class
     * 08), or a server shutting down, restarting or starting up (57P01-57P03).
     */
    private static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return hasSqlState(failure, state -> state.startsWith("08") || state.startsWith("57P0"));
    }
}
