package br.com.reistech.web;

import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Mapped as the default servlet ({@code /}) and as the error page: paths outside the API and the
 * health probes answer 404 problem+json, and errors raised by the container itself (an exception
 * escaping a filter, {@code sendError}) answer problem+json instead of Tomcat's HTML report.
 */
public final class FallbackServlet extends HttpServlet {

    public static final String ERROR_PATH = "/error";

    private final ProblemWriter problems;

    public FallbackServlet(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (status instanceof Integer code) {
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            ProblemType type = ProblemType.forStatus(code);
            problems.write(response, new Problem(type.uri(), type.title(), code, null,
                    uri == null ? null : uri.toString(), RequestContext.requestId(request), null, null, null));
            return;
        }
        problems.write(request, response, ProblemType.NOT_FOUND, "No resource matches this path");
    }
}
