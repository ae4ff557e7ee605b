package br.com.reistech.web.filter;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Sixth and last filter. Will record every critical action that reaches the application, with its outcome, in the hash-chained audit trail (issue #8). Until then nothing is recorded.
 * Its place in the chain is fixed by {@link br.com.reistech.web.CompositionRoot}.
 */
public final class AuditFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
    }
}
