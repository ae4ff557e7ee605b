package br.com.reistech.metrics;

import br.com.reistech.health.MonitoringAccess;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the node's metrics in Prometheus text format, for the monitoring networks
 * and platform administrators only ({@link MonitoringAccess}); anyone else gets 403 problem+json.
 */
public final class MetricsServlet extends HttpServlet {

    private final Metrics metrics;
    private final MonitoringAccess access;
    private final ProblemWriter problems;

    public MetricsServlet(Metrics metrics, MonitoringAccess access, ProblemWriter problems) {
        this.metrics = metrics;
        this.access = access;
        this.problems = problems;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            problems.write(request, response, ProblemType.METHOD_NOT_ALLOWED,
                    "Method " + request.getMethod() + " is not supported here");
            return;
        }
        if (!access.allowed(request)) {
            problems.write(request, response, ProblemType.FORBIDDEN,
                    "Metrics are served to the monitoring networks and platform administrators only");
            return;
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
