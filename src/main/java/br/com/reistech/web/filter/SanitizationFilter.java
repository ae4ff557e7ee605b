package br.com.reistech.web.filter;

import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

/**
 * Fifth filter: structural limits on {@code /api} input, before any application code parses it.
 * <ul>
 *   <li>a query parameter given twice (HTTP parameter pollution) is 400 {@code invalid-parameter}:
 *       no resource takes repeated parameters;</li>
 *   <li>a JSON body larger than {@code maxBodyBytes} is 413 (by {@code Content-Length} before
 *       reading, else while reading); nested deeper than {@value #MAX_DEPTH} is 400;</li>
 *   <li>a JSON field name that is an operator or a prototype path in other stacks ({@code $where},
 *       {@code $gt}, dotted names, {@code __proto__}, {@code constructor}, {@code prototype}) is 400,
 *       anywhere in the body.</li>
 * </ul>
 * Bodies are read through a wrapper and handed on unchanged; malformed JSON is left to the
 * application, which answers {@code malformed-json}. Multipart uploads have their own limit; Meta's
 * webhook is exempt (signature-checked over its exact bytes).
 */
public final class SanitizationFilter implements Filter {

    static final int MAX_DEPTH = 32;
    /** The largest JSON body of the API (workspace settings with a big bot flow stay far below). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Set<String> FORBIDDEN_NAMES = Set.of("__proto__", "constructor", "prototype");
    private static final JsonFactory JSON = new JsonFactory();

    private final int maxBodyBytes;
    private final ProblemWriter problems;

    public SanitizationFilter(int maxBodyBytes, ProblemWriter problems) {
        this.maxBodyBytes = maxBodyBytes;
        this.problems = problems;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // The webhook is Meta's, verified by signature over its exact bytes: a refusal would only make Meta retry.
        if (!path.startsWith("/api/") || path.startsWith("/api/whatsapp/webhook")) {
            chain.doFilter(request, response);
            return;
        }
        String repeated = repeatedParameter(request.getQueryString());
        if (repeated != null) {
            problems.write(request, response, ProblemType.INVALID_PARAMETER,
                    "Query parameter '" + repeated + "' is given more than once");
            return;
        }
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json") || type.matches("application/[a-z.+-]*\\+json.*")) {
            if (request.getContentLengthLong() > maxBodyBytes) {
                problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE,
                        "Request bodies are at most " + maxBodyBytes + " bytes");
                return;
            }
            BufferedBodyRequest buffered = new BufferedBodyRequest(request, maxBodyBytes);
            if (buffered.tooLarge()) {
                problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE,
                        "Request bodies are at most " + maxBodyBytes + " bytes");
                return;
            }
            String refused = refusedStructure(buffered.body());
            if (refused != null) {
                problems.write(request, response, ProblemType.INVALID_BODY, refused);
                return;
            }
            request = buffered;
        }
        chain.doFilter(request, response);
    }

    /** The first query parameter name given twice (after decoding), or null. */
    static String repeatedParameter(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String raw = pair.split("=", 2)[0];
            String name;
            try {
                name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                name = raw;
            }
            if (!seen.add(name)) {
                return name;
            }
        }
        return null;
    }

    /** Why the body's structure is refused, or null (also null for malformed JSON: the application says so). */
    static String refusedStructure(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            int depth = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            return "JSON nested deeper than " + MAX_DEPTH + " levels";
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        String name = parser.currentName();
                        if (name.startsWith("$") || name.contains(".") || FORBIDDEN_NAMES.contains(name)) {
                            return "Field name '" + name + "' is not allowed";
                        }
                    }
                    default -> {
                    }
                }
            }
            return null;
        } catch (IOException malformed) {
            return null;
        }
    }
}
