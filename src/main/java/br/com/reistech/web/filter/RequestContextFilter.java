package br.com.reistech.web.filter;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
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
 *       ({@code requestId}, {@code clientIp}), removed again in {@code finally}, where the
 *       composition root's per-thread cleanup also runs.</li>
 * </ol>
 * WARNING: the client IP is only right when Tomcat's RemoteIpValve trusts exactly the reverse proxy
 * (tomcat-conf/server.xml). Without it, every client behind Nginx shares Nginx's address and one
 * rate-limit bucket; with a valve that trusts everyone, clients choose their own IP.
 */
public final class RequestContextFilter implements Filter {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final Runnable afterRequest;

    /** @param afterRequest runs on the worker thread once the request is done (thread-state cleanup) */
    public RequestContextFilter(Runnable afterRequest) {
        this.afterRequest = afterRequest;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String requestId = requestId(request.getHeader(HEADER));
        String clientIp = ClientAddress.normalize(request.getRemoteAddr());
        request.setAttribute(RequestContext.ATTRIBUTE, new RequestContext(requestId, clientIp, System.nanoTime()));
        response.setHeader(HEADER, requestId);
        ThreadContext.put("requestId", requestId);
        ThreadContext.put("clientIp", clientIp);
        try {
            chain.doFilter(request, response);
        } finally {
            ThreadContext.remove("requestId");
            ThreadContext.remove("clientIp");
            ThreadContext.remove("workspace");
            ThreadContext.remove("user");
            afterRequest.run();
        }
    }

    static String requestId(String offered) {
        if (offered != null && SANE_ID.matcher(offered).matches()) {
            return offered;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
