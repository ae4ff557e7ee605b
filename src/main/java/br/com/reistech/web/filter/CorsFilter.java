package br.com.reistech.web.filter;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Third filter. Will answer CORS preflights and apply each workspace's origin whitelist (issue #8). Until then it adds nothing: a browser on another origin gets no CORS grant, which is the safe default.
 * Its place in the chain is fixed by {@link br.com.reistech.web.CompositionRoot}.
 */
public final class CorsFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
    }
}
