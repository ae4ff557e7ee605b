package br.com.reistech.web.filter;

import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Third filter: CORS for browsers on other origins. An origin is allowed when it is in the
 * installation's list ({@code CORS_ORIGINS}) or in any active workspace's {@code corsOrigins}
 * (re-read at most every {@value #REFRESH_SECONDS} s). Preflights are answered here (204, or 403
 * problem+json for an origin that is not allowed) and never reach the rate limiter; allowed actual
 * requests get {@code Access-Control-Allow-Origin} with the origin itself (never {@code *} with
 * credentials) and the rate-limit, request-id and location headers exposed. {@code Vary: Origin}
 * is on every response, so caches never mix origins.
 */
public final class CorsFilter implements Filter {

    private static final long REFRESH_SECONDS = 10;
    private static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
    private static final Set<String> ALLOWED_HEADERS = Set.of("authorization", "content-type", "idempotency-key",
            "x-request-id", "if-none-match", "accept", "accept-language");
    private static final String EXPOSED = "RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, Location, ETag";

    private final Set<String> global;
    private final boolean credentials;
    private final long maxAgeSeconds;
    private final Supplier<Set<String>> workspaceOrigins;
    private final ProblemWriter problems;
    private final Refusals refusals;
    private volatile Set<String> workspaces = Set.of();
    private final java.util.concurrent.atomic.AtomicLong loadedAt = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE / 2);

    /**
     * @param global lower-cased origins allowed for every workspace ({@code *} only without credentials)
     * @param workspaceOrigins every active workspace's origins, read at most every 10 s
     * @param refusals told of every refused preflight or request (the audit trail)
     */
    public CorsFilter(Set<String> global, boolean credentials, long maxAgeSeconds,
                      Supplier<Set<String>> workspaceOrigins, ProblemWriter problems, Refusals refusals) {
        if (credentials && global.contains("*")) {
            throw new IllegalArgumentException("CORS_ORIGINS=* cannot be combined with CORS_ALLOW_CREDENTIALS=true");
        }
        this.global = Set.copyOf(global);
        this.credentials = credentials;
        this.maxAgeSeconds = maxAgeSeconds;
        this.workspaceOrigins = workspaceOrigins;
        this.problems = problems;
        this.refusals = refusals;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        response.addHeader("Vary", "Origin");
        String origin = request.getHeader("Origin");
        if (origin == null) {
            chain.doFilter(request, response);
            return;
        }
        boolean allowed = allowed(origin);
        boolean preflight = "OPTIONS".equals(request.getMethod())
                && request.getHeader("Access-Control-Request-Method") != null;
        if (preflight) {
            if (!allowed) {
                problems.write(request, response, ProblemType.FORBIDDEN, "Origin " + origin + " may not call this API");
                refusals.refused(request, ProblemType.FORBIDDEN, "CORS: origin not allowed");
                return;
            }
            grant(response, origin);
            response.setHeader("Access-Control-Allow-Methods", METHODS);
            String asked = request.getHeader("Access-Control-Request-Headers");
            if (asked != null) {
                List<String> granted = new ArrayList<>();
                for (String header : asked.split(",")) {
                    String name = header.strip().toLowerCase(Locale.ROOT);
                    if (ALLOWED_HEADERS.contains(name)) {
                        granted.add(name);
                    }
                }
                response.setHeader("Access-Control-Allow-Headers", String.join(", ", granted));
            }
            response.setHeader("Access-Control-Max-Age", Long.toString(maxAgeSeconds));
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (allowed) {
            grant(response, origin);
            response.setHeader("Access-Control-Expose-Headers", EXPOSED);
        }
        chain.doFilter(request, response);
    }

    private void grant(HttpServletResponse response, String origin) {
        response.setHeader("Access-Control-Allow-Origin", global.contains("*") && !credentials ? "*" : origin);
        if (credentials) {
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
    }

    private boolean allowed(String origin) {
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (global.contains("*") || global.contains(normalized)) {
            return true;
        }
        long now = System.nanoTime();
        long last = loadedAt.get();
        // One request reloads (others keep the origins known so far): an unknown Origin costs no stampede.
        if (now - last > REFRESH_SECONDS * 1_000_000_000L && loadedAt.compareAndSet(last, now)) {
            try {
                workspaces = workspaceOrigins.get();
            } catch (RuntimeException databaseDown) {
                // keep the origins known so far
            }
        }
        return workspaces.contains(normalized);
    }
}
