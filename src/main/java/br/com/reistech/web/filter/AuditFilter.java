package br.com.reistech.web.filter;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Sixth and last filter; passes requests through for now. Critical actions are recorded by the
 * services themselves ({@link br.com.reistech.audit.AuditService}), in the same transaction as the
 * action, and sealed into the hash chain; recording the rejections of the filters before this one
 * is still to do (issue #8). Its place in the chain is fixed by {@link br.com.reistech.web.CompositionRoot}.
 */
public final class AuditFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
    }
}
