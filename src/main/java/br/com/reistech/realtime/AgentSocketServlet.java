package br.com.reistech.realtime;

import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.SessionService;
import br.com.reistech.security.TokenService;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /ws/agents?access_token=...&since=N}: the agents' live events. The access token
 * ({@code access_token} parameter, since browsers cannot set headers on a WebSocket, or
 * {@code Authorization: Bearer}) and its session are checked before the upgrade, through the same
 * filter chain as every request: a bad token gets 401 problem+json and no connection. {@code since}
 * is the last sequence number the client saw; the events after it are replayed first.
 */
public final class AgentSocketServlet extends HttpServlet {

    public static final String PATH = "/ws/agents";

    private final TokenService tokens;
    private final SessionService sessions;
    private final EventHub hub;
    private final ObjectMapper json;
    private final ProblemWriter problems;

    public AgentSocketServlet(TokenService tokens, SessionService sessions, EventHub hub, ObjectMapper json,
                              ProblemWriter problems) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.hub = hub;
        this.json = json;
        this.problems = problems;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        try {
            CurrentUser user = authenticate(request);
            long since = since(request.getParameter("since"));
            if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                throw new ApiException(ProblemType.BAD_REQUEST, "This endpoint speaks WebSocket only");
            }
            ServerContainer container = (ServerContainer) getServletContext()
                    .getAttribute(ServerContainer.class.getName());
            ServerEndpointConfig config = ServerEndpointConfig.Builder.create(AgentSocket.class, PATH)
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> type) {
                            Endpoint socket = new AgentSocket(user, since, hub, json);
                            return type.cast(socket);
                        }
                    }).build();
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (ApiException refused) {
            if (refused.type() == ProblemType.UNAUTHORIZED) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"reistech\"");
            }
            problems.write(request, response, refused.type(), refused.getMessage());
        } catch (DeploymentException impossible) {
            throw new ServletException(impossible);
        }
    }

    private CurrentUser authenticate(HttpServletRequest request) {
        String token = request.getParameter("access_token");
        if (token == null) {
            token = TokenService.bearerToken(request.getHeader("Authorization"));
        }
        CurrentUser user = tokens.verifyAccess(token);
        if (!sessions.isLive(user)) {
            throw TokenService.rejected();
        }
        return user;
    }

    private static long since(String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException invalid) {
            // reported below
        }
        throw new ApiException(ProblemType.INVALID_PARAMETER, "since must be a non-negative integer");
    }
}
