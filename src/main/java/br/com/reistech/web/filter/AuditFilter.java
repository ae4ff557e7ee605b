package br.com.reistech.web.filter;

import br.com.reistech.audit.RefusalRecorder;
import br.com.reistech.web.problem.ProblemType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sixth and last filter: records the outcome of {@code /api} requests that reached the application
 * and were refused there or failed: 401 and 403 ({@code request.denied}: a missing or bad token, a
 * role without the permission) and 5xx ({@code request.failed}), through {@link RefusalRecorder}
 * (grouped, once a second, into the hash-chained audit trail).
 *
 * <p>Successful critical actions (logins, user, role, workspace, CMS and rate-limit changes, queue
 * movements) are recorded by the services themselves, in the same transaction as the action, so an
 * action and its record commit or roll back together. Refusals by the filters before this one are
 * reported by those filters ({@link Refusals}): this one never sees them.
 */
public final class AuditFilter implements Filter {

    private final RefusalRecorder recorder;

    public AuditFilter(RefusalRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        try {
            chain.doFilter(request, response);
        } finally {
            if (!request.isAsyncStarted()) {
                record(request, response.getStatus());
            }
        }
    }

    private void record(HttpServletRequest request, int status) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        // A failed login is recorded by the login itself (auth.login, with the account).
        if (!path.startsWith("/api/") || path.equals("/api/auth/login") || (status != 401 && status != 403 && status < 500)) {
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        recorder.refused(status >= 500 ? "request.failed" : "request.denied", request.getMethod(), path, type,
                type.title());
    }
}
