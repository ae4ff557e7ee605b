package br.com.reistech.web;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What {@link br.com.reistech.web.filter.RequestContextFilter} learns about a request before anything
 * else runs, kept as a request attribute for every later filter, resource and error writer.
 *
 * @param requestId the client's sane {@code X-Request-Id}, else a generated one
 * @param clientIp the peer address Tomcat resolved (through RemoteIpValve), IPv4-mapped IPv6 as IPv4
 * @param startNanos {@link System#nanoTime()} when the request entered the chain
 */
public record RequestContext(String requestId, String clientIp, long startNanos) {

    public static final String ATTRIBUTE = RequestContext.class.getName();

    /** The context of {@code request}, or null before the first filter ran. */
    public static RequestContext of(ServletRequest request) {
        return (RequestContext) request.getAttribute(ATTRIBUTE);
    }

    /** The request id of {@code request}, or null when none was assigned. */
    public static String requestId(ServletRequest request) {
        RequestContext context = of(request);
        return context == null ? null : context.requestId();
    }

    /**
     * The path as Tomcat routed it (decoded, normalised, without {@code ;parameters}) and without
     * trailing slashes, which JAX-RS ignores: {@code /api/auth/login/} is the login too.
     */
    public static String routedPath(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }
}
