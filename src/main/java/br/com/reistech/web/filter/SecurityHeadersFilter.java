package br.com.reistech.web.filter;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Second filter. Sets the security headers of a JSON API on every response, before the rest of the
 * chain runs, so rejections (403, 429, 500) written by later filters carry them too:
 * a CSP that allows nothing, {@code nosniff}, frame denial, no referrer, cross-origin isolation
 * headers, an empty {@code Permissions-Policy} and {@code Cache-Control: no-store}. HSTS
 * ({@code max-age} one year, subdomains) is added only when the request arrived over HTTPS, which
 * behind Nginx requires RemoteIpValve's {@code X-Forwarded-Proto} handling.
 * The header values are computed once, at construction; {@code doFilter} only copies them.
 * The CSP and HSTS's max-age are configurable ({@code SECURITY_CSP}, {@code SECURITY_HSTS_MAX_AGE_SECONDS}).
 *
 * <p>It also refuses, with 400, request paths that Tomcat and JAX-RS would read differently: path
 * parameters ({@code /api;x/auth/login}), dot segments and doubled slashes. Tomcat routes on the
 * normalised path and JAX-RS on the raw one, so such a path could reach a resource while the
 * filters after this one (rate limits, sanitization) judge another.
 */
public final class SecurityHeadersFilter implements Filter {

    private static final Pattern AMBIGUOUS = Pattern.compile(
            ";|//|/\\.{1,2}(/|$)|%2[eE]|%3[bB]|%5[cC]|\\\\");

    private final Map<String, String> headers;
    private final String hsts;
    private final ProblemWriter problems;
    private final Refusals refusals;

    /**
     * @param hstsMaxAgeSeconds at least a day: a zero max-age would switch HSTS off in browsers
     * @param refusals told of every refused path (the audit trail)
     */
    public SecurityHeadersFilter(String contentSecurityPolicy, long hstsMaxAgeSeconds,
                                 ProblemWriter problems, Refusals refusals) {
        this.problems = problems;
        this.refusals = refusals;
        this.hsts = "max-age=" + hstsMaxAgeSeconds + "; includeSubDomains";
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Content-Security-Policy", contentSecurityPolicy);
        values.put("X-Content-Type-Options", "nosniff");
        values.put("X-Frame-Options", "DENY");
        values.put("Referrer-Policy", "no-referrer");
        values.put("Cross-Origin-Opener-Policy", "same-origin");
        values.put("Cross-Origin-Resource-Policy", "same-origin");
        values.put("Origin-Agent-Cluster", "?1");
        values.put("X-DNS-Prefetch-Control", "off");
        values.put("X-Download-Options", "noopen");
        values.put("X-Permitted-Cross-Domain-Policies", "none");
        // Every powerful feature disabled: a JSON API needs none of them.
        values.put("Permissions-Policy", "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
                + "encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                + "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), "
                + "sync-xhr=(), usb=(), xr-spatial-tracking=()");
        values.put("Cache-Control", "no-store");
        this.headers = Map.copyOf(values);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse response = (HttpServletResponse) res;
        headers.forEach(response::setHeader);
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", hsts);
        }
        HttpServletRequest http = (HttpServletRequest) request;
        String uri = http.getRequestURI();
        if (mayBeAmbiguous(uri) && AMBIGUOUS.matcher(uri).find()) {
            problems.write(http, response, ProblemType.BAD_REQUEST,
                    "Path parameters, dot segments and doubled slashes are not accepted");
            refusals.refused(http, ProblemType.BAD_REQUEST, "ambiguous path");
            return;
        }
        chain.doFilter(request, response);
    }

    /** False when the path holds nothing {@link #AMBIGUOUS} could match (most paths): the pattern is then not run. */
    private static boolean mayBeAmbiguous(String uri) {
        return uri.indexOf(';') >= 0 || uri.indexOf('%') >= 0 || uri.indexOf('\\') >= 0 || uri.contains("//")
                || uri.contains("/.");
    }
}
