package br.com.reistech.web.problem;

import br.com.reistech.web.RequestContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Answers every exception that leaves a resource as {@code application/problem+json}
 * ({@link ProblemMapping} decides which problem). Server errors are logged with their stack trace
 * and request id; the client gets only the request id.
 */
public abstract class ProblemExceptionMapper<E extends Throwable> implements ExceptionMapper<E> {

    private static final Logger LOG = LogManager.getLogger(ProblemExceptionMapper.class);

    @Context
    private HttpServletRequest request;

    @Override
    public Response toResponse(E failure) {
        String requestId = RequestContext.requestId(request);
        Problem problem = ProblemMapping.toProblem(failure, request.getRequestURI(), requestId);
        if (!ProblemMapping.isClientError(problem)) {
            LOG.error("Request {} {} failed with {} (request id {})", request.getMethod(), request.getRequestURI(),
                    problem.status(), requestId, failure);
        }
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE).entity(problem);
        if (failure instanceof NotAllowedException notAllowed) {
            response.allow(notAllowed.getResponse().getAllowedMethods());
        }
        if (problem.status() == 401) {
            // RFC 6750 §3: tell the client which scheme to use, and nothing more.
            response.header("WWW-Authenticate", "Bearer realm=\"reistech\"");
        }
        if (problem.retryAfter() != null) {
            response.header("Retry-After", problem.retryAfter());
        }
        return response.build();
    }

    /** Everything not matched by a more specific mapper. */
    public static final class Any extends ProblemExceptionMapper<Throwable> {
    }

    /** Bean Validation failures; more specific than Jersey's own mapper of the same type. */
    public static final class Validation extends ProblemExceptionMapper<ValidationException> {
    }

    /** Malformed or mismatched JSON bodies (Jackson's exceptions are IOExceptions, not WebApplicationExceptions). */
    public static final class Json extends ProblemExceptionMapper<com.fasterxml.jackson.core.JacksonException> {
    }
}
