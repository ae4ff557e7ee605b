package br.com.reistech.web.filter;

import br.com.reistech.metrics.Metrics;
import br.com.reistech.web.ClientAddress;
import br.com.reistech.web.RequestContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * First filter of the chain. For every request, in order:
 * <ol>
 *   <li>takes the client's {@code X-Request-Id} when it is sane (1–128 characters of
 *       {@code A-Z a-z 0-9 . _ : -}), otherwise generates a 128-bit hexadecimal id, and echoes it in
 *       the response before anything else can commit it;</li>
 *   <li>takes the client IP from {@code request.getRemoteAddr()} and normalises it
 *       ({@link ClientAddress});</li>
 *   <li>publishes both as a {@link RequestContext} request attribute and in the log context
 *       ({@code requestId}, {@code clientIp}; authentication adds {@code workspace} and {@code user});</li>
 *   <li>once the response is complete, writes one line to logger {@code http} (the
 *       {@code http-*.log} family: method, path without query, status, body bytes, duration, client
 *       IP, with request id, user and workspace from the log context) and records
 *       {@code http_server_requests_seconds} by route template ({@link Metrics});</li>
 *   <li>clears the log context in {@code finally}, where the composition root's per-thread cleanup
 *       also runs.</li>
 * </ol>
 * WARNING: the client IP is only right when Tomcat's RemoteIpValve trusts exactly the reverse proxy
 * (tomcat-conf/server.xml). Without it, every client behind Nginx shares Nginx's address and one
 * rate-limit bucket; with a valve that trusts everyone, clients choose their own IP.
 */
public final class RequestContextFilter implements Filter {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger HTTP = LogManager.getLogger("http");
    private static final HexFormat HEX = HexFormat.of();
    /** The log context keys of a request: its own, and those authentication adds. */
    private static final List<String> CONTEXT_KEYS = List.of("requestId", "clientIp", "workspace", "user");
    private static final Set<String> FIXED_ROUTES = Set.of("/alive", "/ready", "/health", "/metrics");

    private final Runnable afterRequest;
    private final Metrics metrics;
    private final String socketPath;

    /**
     * @param afterRequest runs on the worker thread once the request is done (thread-state cleanup)
     * @param socketPath the agents' WebSocket path, a route of its own
     */
    public RequestContextFilter(Runnable afterRequest, Metrics metrics, String socketPath) {
        this.afterRequest = afterRequest;
        this.metrics = metrics;
        this.socketPath = socketPath;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        CountingResponse response = new CountingResponse((HttpServletResponse) res);
        long start = System.nanoTime();
        String requestId = requestId(request.getHeader(HEADER));
        String clientIp = ClientAddress.normalize(request.getRemoteAddr());
        request.setAttribute(RequestContext.ATTRIBUTE, new RequestContext(requestId, clientIp, start));
        response.setHeader(HEADER, requestId);
        ThreadContext.putAll(Map.of("requestId", requestId, "clientIp", clientIp));
        int failed = 0;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error failure) {
            // Tomcat turns it into a 500 after this filter returns; the log and metrics say so now.
            failed = response.isCommitted() ? 0 : 500;
            throw failure;
        } finally {
            try {
                completed(request, response, start, clientIp, failed);
            } finally {
                ThreadContext.removeAll(CONTEXT_KEYS);
                afterRequest.run();
            }
        }
    }

    private void completed(HttpServletRequest request, CountingResponse response, long start, String clientIp,
                           int failed) {
        long nanos = System.nanoTime() - start;
        int status = failed != 0 ? failed : response.getStatus();
        metrics.request(request.getMethod(), route(request), status, nanos);
        if (HTTP.isInfoEnabled()) {
            HTTP.info("method={} path={} status={} bytes={} durationMs={} ip={}", request.getMethod(),
                    request.getRequestURI(), status, response.count(), nanos / 1_000_000, clientIp);
        }
    }

    /** The route template JAX-RS matched, or a fixed name: never the raw path (bounded cardinality). */
    private String route(HttpServletRequest request) {
        Object matched = request.getAttribute(Metrics.ROUTE);
        if (matched != null) {
            return matched.toString();
        }
        String path = request.getServletPath();
        if (FIXED_ROUTES.contains(path) || path.equals(socketPath)) {
            return path;
        }
        return path.startsWith("/api") ? "/api/unmatched" : "other";
    }

    static String requestId(String offered) {
        if (offered != null && SANE_ID.matcher(offered).matches()) {
            return offered;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
