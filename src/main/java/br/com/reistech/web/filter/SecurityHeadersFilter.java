package br.com.reistech.web.filter;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Second filter. Sets the security headers of a JSON API on every response, before the rest of the
 * chain runs, so rejections (403, 429, 500) written by later filters carry them too:
 * a CSP that allows nothing, {@code nosniff}, frame denial, no referrer, cross-origin isolation
 * headers, an empty {@code Permissions-Policy} and {@code Cache-Control: no-store}. HSTS
 * ({@code max-age} one year, subdomains) is added only when the request arrived over HTTPS, which
 * behind Nginx requires RemoteIpValve's {@code X-Forwarded-Proto} handling.
 * The header values are computed once, at construction; {@code doFilter} only copies them.
 * Per-installation configuration of these values arrives with the security filters issue (#8).
 */
public final class SecurityHeadersFilter implements Filter {

    private static final String HSTS = "max-age=31536000; includeSubDomains";

    private final Map<String, String> headers;

    public SecurityHeadersFilter() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        values.put("X-Content-Type-Options", "nosniff");
        values.put("X-Frame-Options", "DENY");
        values.put("Referrer-Policy", "no-referrer");
        values.put("Cross-Origin-Opener-Policy", "same-origin");
        values.put("Cross-Origin-Resource-Policy", "same-origin");
        values.put("Origin-Agent-Cluster", "?1");
        values.put("X-DNS-Prefetch-Control", "off");
        values.put("X-Download-Options", "noopen");
        values.put("X-Permitted-Cross-Domain-Policies", "none");
        values.put("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                + "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()");
        values.put("Cache-Control", "no-store");
        this.headers = Map.copyOf(values);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse response = (HttpServletResponse) res;
        headers.forEach(response::setHeader);
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        chain.doFilter(request, response);
    }
}
