package br.com.reistech.health;

import br.com.reistech.ratelimit.Cidr;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Role;
import br.com.reistech.security.TokenService;
import br.com.reistech.web.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Who may see health details and metrics: a client in one of the monitoring networks
 * ({@code MONITORING_NETWORKS}, loopback by default: the node's own agent, Nginx's health checks)
 * or a platform administrator's live access token. Everyone else gets a bare status.
 *
 * <p>WARNING: the client address is the one Tomcat's RemoteIpValve resolved. Behind a proxy without
 * that valve every client appears to come from the proxy, often loopback, and would see everything:
 * tomcat-conf/server.xml configures the valve; Nginx also refuses these paths from outside.
 */
public final class MonitoringAccess {

    private final List<Cidr> networks;
    private final Function<String, CurrentUser> verify;
    private final Predicate<CurrentUser> live;

    /**
     * @param verify verifies an access token, throwing when it is invalid
     * @param live whether the token's session is still open (not logged out or revoked)
     */
    public MonitoringAccess(List<String> networks, Function<String, CurrentUser> verify, Predicate<CurrentUser> live) {
        this.networks = networks.stream().map(Cidr::parse).toList();
        this.verify = verify;
        this.live = live;
    }

    public boolean allowed(HttpServletRequest request) {
        String ip = ClientAddress.normalize(request.getRemoteAddr());
        // RemoteIpValve removes X-Forwarded-For once it has resolved the client: a header still
        // present means the valve is missing or did not trust the proxy, and the address is the
        // proxy's, not the client's. Then only a token counts.
        boolean direct = request.getHeader("X-Forwarded-For") == null;
        if (direct && networks.stream().anyMatch(cidr -> cidr.contains(ip))) {
            return true;
        }
        String token = TokenService.bearerToken(request.getHeader("Authorization"));
        if (token == null) {
            return false;
        }
        try {
            CurrentUser user = verify.apply(token);
            return user.role() == Role.PLATFORM_ADMIN && live.test(user);
        } catch (RuntimeException invalid) {
            return false;
        }
    }
}
