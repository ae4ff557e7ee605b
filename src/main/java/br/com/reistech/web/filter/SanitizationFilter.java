package br.com.reistech.web.filter;

import br.com.reistech.sanitization.InputInspector;
import br.com.reistech.sanitization.InputInspector.Refusal;
import br.com.reistech.web.RequestContext;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fifth filter: judges {@code /api} input before any application code parses it, in this order.
 * <ol>
 *   <li>Query string: a parameter given twice (HTTP parameter pollution) is 400
 *       {@code invalid-parameter} (no resource takes repeated parameters); a name or value that
 *       cannot be percent-decoded is 400 too.</li>
 *   <li>Path segments and query parameters are typed: each is canonicalised and refused with 400
 *       {@code suspicious-input} when encoded twice, when it looks like SQL injection or when it
 *       holds markup ({@link InputInspector#typed}).</li>
 *   <li>A body must be JSON ({@code application/json} or {@code +json}), or multipart for
 *       {@code /api/media}: anything else is 415 {@code unsupported-media-type}.</li>
 *   <li>A JSON body over {@code maxBodyBytes} is 413 (by {@code Content-Length} before reading,
 *       else while reading); it is then judged by {@link InputInspector#body} (structure, field
 *       kinds, SQL injection, markup). A body whose values were made safe is handed on rewritten,
 *       through a request wrapper; the container's request is never changed.</li>
 * </ol>
 * Every refusal is reported to {@code refusals} (audit trail, rate-limit violations of the address).
 * Free text that looks like SQL is logged (field, score, fingerprint; never the value) and passed.
 * Meta's webhook is exempt: it is verified by signature over its exact bytes.
 *
 * <p>WARNING: it must come after RequestContextFilter (request id, client address) and after
 * SecurityHeadersFilter, which refuses paths that Tomcat and JAX-RS would read differently: this
 * filter judges the path Tomcat routed.
 */
public final class SanitizationFilter implements Filter {

    private static final Logger LOG = LogManager.getLogger(SanitizationFilter.class);
    /** The largest JSON body of the API (workspace settings with a big bot flow stay far below). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final String WEBHOOK = "/api/whatsapp/webhook";
    private static final String MEDIA = "/api/media";

    private final int maxBodyBytes;
    private final ProblemWriter problems;
    private final Refusals refusals;

    public SanitizationFilter(int maxBodyBytes, ProblemWriter problems, Refusals refusals) {
        this.maxBodyBytes = maxBodyBytes;
        this.problems = problems;
        this.refusals = refusals;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        // Trailing slashes are ignored by JAX-RS, so "/api/whatsapp/webhook/" is the webhook too (and exempt
        // from the rate limiter, which reads paths the same way).
        String path = RequestContext.routedPath(request);
        if (!(path.startsWith("/api/") || path.equals("/api")) || path.equals(WEBHOOK)) {
            chain.doFilter(request, response);
            return;
        }
        Refusal refusal = judgeQuery(request.getQueryString());
        if (refusal == null) {
            refusal = judgePath(path);
        }
        if (refusal == null && hasBody(request)) {
            refusal = judgeType(request, path);
        }
        if (refusal != null) {
            refuse(request, response, refusal);
            return;
        }
        if (isJson(request.getContentType()) && hasBody(request)) {
            if (request.getContentLengthLong() > maxBodyBytes) {
                refuse(request, response, tooLarge());
                return;
            }
            BufferedBodyRequest buffered = new BufferedBodyRequest(request, maxBodyBytes);
            if (buffered.tooLarge()) {
                refuse(request, response, tooLarge());
                return;
            }
            InputInspector.Result result = InputInspector.body(path, buffered.body());
            if (result.refusal() != null) {
                refuse(request, response, result.refusal());
                return;
            }
            for (InputInspector.Suspicion suspicion : result.suspicions()) {
                LOG.warn("Free text field '{}' looks like SQL (score {}, fingerprint {}); passed", suspicion.field(),
                        suspicion.score(), suspicion.fingerprint());
            }
            request = result.body() == null ? buffered : buffered.withBody(result.body());
        }
        chain.doFilter(request, response);
    }

    private Refusal tooLarge() {
        return new Refusal(ProblemType.PAYLOAD_TOO_LARGE, "Request bodies are at most " + maxBodyBytes + " bytes");
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal) throws IOException {
        problems.write(request, response, refusal.type(), refusal.detail());
        refusals.refused(request, refusal.type(), refusal.detail());
    }

    /** Parameters given twice, undecodable, or typed values that look like attacks. */
    static Refusal judgeQuery(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            String name = decode(parts[0]);
            String value = parts.length > 1 ? decode(parts[1]) : "";
            if (name == null || value == null) {
                return new Refusal(ProblemType.INVALID_PARAMETER, "The query string is not valid percent-encoding");
            }
            if (!seen.add(name)) {
                return new Refusal(ProblemType.INVALID_PARAMETER, "Query parameter '" + InputInspector.printable(name) + "' is given more than once");
            }
            Refusal refusal = InputInspector.typed("A query parameter name", name);
            if (refusal == null) {
                refusal = InputInspector.typed("Query parameter '" + InputInspector.printable(name) + "'", value);
            }
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    /** Each segment of the routed path (Tomcat has decoded it once). */
    private static Refusal judgePath(String path) {
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                Refusal refusal = InputInspector.typed("A path segment", segment);
                if (refusal != null) {
                    return refusal;
                }
            }
        }
        return null;
    }

    private static Refusal judgeType(HttpServletRequest request, String path) {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        String charset = request.getCharacterEncoding();
        if (charset != null && !supported(charset)) {
            return new Refusal(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Unknown charset");
        }
        if (isJson(type) || (type.startsWith("multipart/form-data") && path.equals(MEDIA))) {
            return null;
        }
        return new Refusal(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Request bodies are application/json" + (path.equals(MEDIA) ? " or multipart/form-data" : ""));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int end = type.indexOf(';');
        String bare = (end < 0 ? type : type.substring(0, end)).strip();
        return bare.equals("application/json") || (bare.startsWith("application/") && bare.endsWith("+json"));
    }

    private static boolean supported(String charset) {
        try {
            return java.nio.charset.Charset.isSupported(charset);
        } catch (IllegalArgumentException illegalName) {
            return false;
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** The percent-decoded text, or null when it is not valid percent-encoding. */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
    }
}
