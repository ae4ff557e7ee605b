package br.com.reistech.web.filter;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Fourth filter. Will apply IP deny/allow lists, bans and the per-route rate-limit policies in one Redis round trip (issue #7). Until then every request passes.
 * Its place in the chain is fixed by {@link br.com.reistech.web.CompositionRoot}.
 */
public final class RateLimitFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
    }
}
