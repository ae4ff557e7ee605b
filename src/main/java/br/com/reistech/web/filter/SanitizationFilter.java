package br.com.reistech.web.filter;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Fifth filter. Will enforce size and content-type limits, refuse parameter pollution and injection payloads and sanitise HTML-bearing fields (issue #8). Until then Jersey's own strict JSON parsing is the only input gate.
 * Its place in the chain is fixed by {@link br.com.reistech.web.CompositionRoot}.
 */
public final class SanitizationFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
    }
}
