package br.com.reistech.health;

import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /alive} (200 while the process serves), {@code GET /ready} (200 when ready, else 503)
 * and {@code GET /health} (the report, 503 when unhealthy). Outside the JAX-RS application so
 * probes stay cheap; every other method answers 405 problem+json. The checks' details and figures
 * go only to the monitoring networks and platform administrators ({@link MonitoringAccess});
 * anyone else gets the bare status with the same HTTP code.
 */
public final class HealthServlet extends HttpServlet {

    private final HealthService health;
    private final ObjectMapper json;
    private final ProblemWriter problems;
    private final MonitoringAccess access;

    public HealthServlet(HealthService health, ObjectMapper json, ProblemWriter problems, MonitoringAccess access) {
        this.health = health;
        this.json = json;
        this.problems = problems;
        this.access = access;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ok;
        boolean details = !"/alive".equals(request.getServletPath()) && access.allowed(request);
        switch (request.getServletPath()) {
            case "/alive" -> {
                ok = true;
                body.put("status", "alive");
            }
            case "/ready" -> {
                HealthService.Report ready = health.ready();
                ok = ready.ok();
                body.put("status", ready.status());
                if (details) {
                    body.put("computedAt", ready.computedAt().toString());
                    body.put("checks", ready.checks());
                }
            }
            default -> {
                HealthService.Report report = health.report();
                ok = report.ok();
                body.put("status", report.status());
                if (details) {
                    body.put("uptime", health.uptime().toSeconds());
                    body.put("computedAt", report.computedAt().toString());
                    body.put("checks", report.checks());
                }
            }
        }
        response.setStatus(ok ? 200 : 503);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), body);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            try {
                super.service(request, response);
            } catch (jakarta.servlet.ServletException impossible) {
                throw new IOException(impossible);
            }
            return;
        }
        response.setHeader("Allow", "GET, HEAD");
        problems.write(request, response, ProblemType.METHOD_NOT_ALLOWED,
                "Method " + request.getMethod() + " is not supported here");
    }
}
