package br.com.reistech.web.filter;

import br.com.reistech.ratelimit.Decision;
import br.com.reistech.ratelimit.Policy;
import br.com.reistech.ratelimit.RateLimiter;
import br.com.reistech.ratelimit.Subjects;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.TokenService;
import br.com.reistech.web.RequestContext;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fourth filter: the deny list (403), the allow list (no limits), bans and the rate-limit policies
 * of every {@code /api} request, decided by {@link RateLimiter} in one Redis round trip:
 * <ul>
 *   <li>{@code api}: every request, per user when it carries a valid access token, else per address;</li>
 *   <li>{@code login}: {@code POST /api/auth/login}, per address and per account;</li>
 *   <li>{@code whatsapp-send}: {@code POST /api/whatsapp/send} and agents' replies, per user.</li>
 * </ul>
 * The webhook (signature-checked, Meta's own retries) and everything outside {@code /api} (health)
 * are exempt. The client's address is the one Tomcat's RemoteIpValve resolved from trusted proxies
 * only; IPv6 clients count per /64. Limited responses carry the IETF draft's {@code RateLimit-Policy}
 * and {@code RateLimit} headers; 429 adds {@code Retry-After}.
 */
public final class RateLimitFilter implements Filter {

    private static final Logger LOG = LogManager.getLogger(RateLimitFilter.class);
    private static final Pattern REPLY = Pattern.compile("/api/conversations/[^/]+/messages");
    private static final int LOGIN_BODY_LIMIT = 8 * 1024;
    private static final int WARNED_LIMIT = 10_000;

    private final RateLimiter limiter;
    private final TokenService tokens;
    private final ProblemWriter problems;
    private final ObjectMapper json;
    private final Refusals refusals;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** @param refusals told of every refused request (the audit trail) */
    public RateLimitFilter(RateLimiter limiter, TokenService tokens, ProblemWriter problems, ObjectMapper json,
                           Refusals refusals) {
        this.limiter = limiter;
        this.tokens = tokens;
        this.problems = problems;
        this.json = json;
        this.refusals = refusals;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String path = RequestContext.routedPath(request);
        if (!path.startsWith("/api/") || path.equals("/api/whatsapp/webhook")) {
            chain.doFilter(request, response);
            return;
        }
        String ip = RequestContext.of(request).clientIp();
        warnOfUntrustedForwarding(request, ip);
        String ipSubject = Subjects.ip(ip);
        String user = userSubject(request);
        List<Decision.Item> items = new ArrayList<>();
        item(items, "api", user != null ? user : ipSubject);
        boolean post = "POST".equals(request.getMethod());
        if (post && path.equals("/api/auth/login")) {
            BufferedBodyRequest body = new BufferedBodyRequest(request, LOGIN_BODY_LIMIT);
            if (body.tooLarge()) {
                // A padded body would dodge the per-account limit; no real login is this big.
                problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE, "A login body is at most 8 KiB");
                refusals.refused(request, ProblemType.PAYLOAD_TOO_LARGE, "A login body is at most 8 KiB");
                return;
            }
            request = body;
            item(items, "login", ipSubject);
            String account = account(body.body());
            if (account != null) {
                item(items, "login", account);
            }
        } else if (post && (path.equals("/api/whatsapp/send") || REPLY.matcher(path).matches())) {
            item(items, "whatsapp-send", user != null ? user : ipSubject);
        }
        Decision decision = limiter.decide(ip, ipSubject, items);
        switch (decision.kind()) {
            case DENIED -> {
                problems.write(request, response, ProblemType.IP_DENIED, "Requests from this address are refused");
                refusals.refused(request, ProblemType.IP_DENIED, "deny list");
            }
            case BANNED -> refuse(request, response, decision, Problem.of(ProblemType.BANNED,
                    "This address is banned for repeated limit violations", request.getRequestURI(),
                    RequestContext.requestId(request)));
            case LIMITED -> refuse(request, response, decision, Problem.of(ProblemType.QUOTA_EXCEEDED,
                    "Too many requests: " + String.join(", ", decision.violated()), request.getRequestURI(),
                    RequestContext.requestId(request)).withViolatedPolicies(decision.violated()));
            case ALLOWED -> {
                headers(response, decision);
                chain.doFilter(request, response);
            }
            case SKIPPED -> chain.doFilter(request, response);
        }
    }

    private void item(List<Decision.Item> items, String name, String subject) {
        Policy policy = limiter.policy(name);
        if (policy != null) {
            items.add(new Decision.Item(policy, subject));
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Decision decision, Problem problem)
            throws IOException {
        headers(response, decision);
        problems.write(response, problem.withRetryAfter(decision.retryAfterSeconds()));
        refusals.refused(request, decision.kind() == Decision.Kind.BANNED ? ProblemType.BANNED : ProblemType.QUOTA_EXCEEDED,
                problem.detail());
    }

    private static void headers(HttpServletResponse response, Decision decision) {
        if (!decision.items().isEmpty()) {
            response.setHeader("RateLimit-Policy", decision.policyHeader());
            response.setHeader("RateLimit", decision.limitHeader());
        }
    }

    /** The account a login body names; null when it names none (the application then refuses it). */
    private String account(byte[] body) {
        try {
            JsonNode login = json.readTree(body);
            String workspace = login.path("workspace").asText("");
            String email = login.path("email").asText("");
            return workspace.isEmpty() || email.isEmpty() ? null : Subjects.account(workspace, email);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /** The user of a valid access token; anything else counts as its address. */
    private String userSubject(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        String token = TokenService.bearerToken(header);
        if (token == null) {
            return null;
        }
        try {
            CurrentUser user = tokens.verifyAccess(token);
            request.setAttribute(CurrentUser.ATTRIBUTE, new CurrentUser.Verified(header, user));
            return Subjects.user(user.userId());
        } catch (RuntimeException invalid) {
            return null;
        }
    }

    /** Tomcat consumes X-Forwarded-For from trusted proxies: one still here came from elsewhere. */
    private void warnOfUntrustedForwarding(HttpServletRequest request, String ip) {
        if (request.getHeader("X-Forwarded-For") != null && warned.size() < WARNED_LIMIT && warned.add(ip)) {
            LOG.warn("X-Forwarded-For from {}, which is not a trusted proxy, ignored (warned once per address)", ip);
        }
    }
}
