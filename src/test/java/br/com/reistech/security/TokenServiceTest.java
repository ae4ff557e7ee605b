package br.com.reistech.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import br.com.reistech.config.AppConfig.AuthConfig;
import br.com.reistech.config.AppConfig.JwtAlgorithm;
import br.com.reistech.web.problem.ApiException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every forged, stale or misused token is refused with the same 401. */
class TokenServiceTest {

    private static final String ACCESS = "access-secret-0123456789-abcdefghijklmnop";
    private static final String REFRESH = "refresh-secret-0123456789-abcdefghijklmnop";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final UUID user = UUID.randomUUID();
    private final UUID workspace = UUID.randomUUID();
    private final UUID family = UUID.randomUUID();

    private static AuthConfig config(String secret, String previous) {
        return new AuthConfig(JwtAlgorithm.HS256, secret, "k2", previous, previous.isEmpty() ? "" : "k1", REFRESH,
                "reistech", "reistech-api", Duration.ofMinutes(15), Duration.ofDays(14), 5, Duration.ofMinutes(15));
    }

    private static TokenService at(Instant instant) {
        return new TokenService(config(ACCESS, ""), Clock.fixed(instant, ZoneOffset.UTC));
    }

    private String access() {
        return at(NOW).accessToken(user, workspace, Role.AGENT, family);
    }

    @Test
    void validAccessTokenYieldsTheCaller() {
        CurrentUser caller = at(NOW).verifyAccess(access());
        assertThat(caller.userId()).isEqualTo(user);
        assertThat(caller.workspaceId()).isEqualTo(workspace);
        assertThat(caller.role()).isEqualTo(Role.AGENT);
        assertThat(caller.familyId()).isEqualTo(family);
    }

    @Test
    void aRememberedTokenStillExpiresAndAForgedTwinIsNotRemembered() {
        Instant[] now = {NOW};
        TokenService tokens = new TokenService(config(ACCESS, ""), new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        });
        String token = tokens.accessToken(user, workspace, Role.AGENT, family);
        CurrentUser first = tokens.verifyAccess(token);
        assertThat(first.userId()).isEqualTo(user);
        // Remembered: the second request gets the same verified caller, without parsing again.
        assertThat(tokens.verifyAccess(token)).isSameAs(first);
        // One character of the signature changed: a different text, verified (and refused) on its own.
        char changed = token.charAt(token.length() - 2) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, token.length() - 2) + changed + token.charAt(token.length() - 1);
        assertThat(forged).isNotEqualTo(token);
        assertThatThrownBy(() -> tokens.verifyAccess(forged)).isInstanceOf(ApiException.class);
        now[0] = NOW.plus(Duration.ofMinutes(15)).plusSeconds(31);
        assertThatThrownBy(() -> tokens.verifyAccess(token)).isInstanceOf(ApiException.class);
    }

    @Test
    void algNoneIsRefused() {
        String[] parts = access().split("\\.");
        String header = b64("{\"alg\":\"none\",\"kid\":\"k2\"}");
        assertRefused(header + "." + parts[1] + ".");
    }

    @Test
    void anotherHmacAlgorithmThanTheConfiguredOneIsRefused() {
        String token = Jwts.builder().header().keyId("k2").and().issuer("reistech").audience().add("reistech-api").and()
                .subject(user.toString()).claim("ws", workspace.toString()).claim("role", "ADMIN")
                .claim("fam", family.toString()).claim("token_use", "access").id("x")
                .issuedAt(Date.from(NOW)).expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor((ACCESS + ACCESS).getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS512)
                .compact();
        assertRefused(token);
    }

    @Test
    void wrongKeyIsRefused() {
        TokenService other = new TokenService(config("another-secret-0123456789-abcdefghijklmnop", ""),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertRefused(other.accessToken(user, workspace, Role.ADMIN, family));
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = access().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"AGENT\"", "\"ADMIN\"");
        assertRefused(parts[0] + "." + b64(payload) + "." + parts[2]);
    }

    @Test
    void expiredTokenIsRefused() {
        String token = access();
        assertThatThrownBy(() -> at(NOW.plus(Duration.ofMinutes(16))).verifyAccess(token)).isInstanceOf(ApiException.class);
    }

    @Test
    void tokenIssuedInTheFutureIsRefused() {
        String token = at(NOW.plus(Duration.ofMinutes(5))).accessToken(user, workspace, Role.AGENT, family);
        assertRefused(token);
    }

    @Test
    void wrongAudienceOrIssuerIsRefused() {
        AuthConfig otherAudience = new AuthConfig(JwtAlgorithm.HS256, ACCESS, "k2", "", "", REFRESH,
                "reistech", "someone-else", Duration.ofMinutes(15), Duration.ofDays(14), 5, Duration.ofMinutes(15));
        assertRefused(new TokenService(otherAudience, Clock.fixed(NOW, ZoneOffset.UTC))
                .accessToken(user, workspace, Role.AGENT, family));
        AuthConfig otherIssuer = new AuthConfig(JwtAlgorithm.HS256, ACCESS, "k2", "", "", REFRESH,
                "evil", "reistech-api", Duration.ofMinutes(15), Duration.ofDays(14), 5, Duration.ofMinutes(15));
        assertRefused(new TokenService(otherIssuer, Clock.fixed(NOW, ZoneOffset.UTC))
                .accessToken(user, workspace, Role.AGENT, family));
    }

    @Test
    void missingClaimIsRefused() {
        String token = Jwts.builder().header().keyId("k2").and().issuer("reistech").audience().add("reistech-api").and()
                .subject(user.toString()).claim("role", "ADMIN").claim("token_use", "access").id("x")
                .issuedAt(Date.from(NOW)).expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(ACCESS.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256)
                .compact();
        assertRefused(token);
    }

    @Test
    void refreshTokenIsNotAnAccessTokenAndViceVersa() {
        TokenService tokens = at(NOW);
        String refresh = tokens.refreshToken(UUID.randomUUID(), user, workspace, family, NOW.plusSeconds(3600));
        assertRefused(refresh);
        assertThatThrownBy(() -> tokens.verifyRefresh(access())).isInstanceOf(ApiException.class);
        assertThat(tokens.verifyRefresh(refresh).familyId()).isEqualTo(family);
    }

    @Test
    void previousKeyStillVerifiesAfterRotationButUnknownKidDoesNot() {
        String old = new TokenService(new AuthConfig(JwtAlgorithm.HS256, "old-secret-0123456789-abcdefghijklmnopqr",
                "k1", "", "", REFRESH, "reistech", "reistech-api", Duration.ofMinutes(15), Duration.ofDays(14), 5,
                Duration.ofMinutes(15)), Clock.fixed(NOW, ZoneOffset.UTC)).accessToken(user, workspace, Role.AGENT, family);
        TokenService rotated = new TokenService(config(ACCESS, "old-secret-0123456789-abcdefghijklmnopqr"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(rotated.verifyAccess(old).userId()).isEqualTo(user);
        assertThatThrownBy(() -> at(NOW).verifyAccess(old)).isInstanceOf(ApiException.class);
    }

    @Test
    void garbageIsRefused() {
        assertRefused("not.a.jwt");
        assertRefused("");
    }

    private static void assertRefused(String token) {
        assertThatThrownBy(() -> at(NOW).verifyAccess(token))
                .isInstanceOf(ApiException.class)
                .hasMessage("Missing, invalid or expired token");
    }

    @Test
    void onlyABearerHeaderGivesAToken() {
        assertThat(TokenService.bearerToken("Bearer abc.def.ghi")).isEqualTo("abc.def.ghi");
        assertThat(TokenService.bearerToken("bearer  abc.def.ghi ")).isEqualTo("abc.def.ghi");
        assertThat(TokenService.bearerToken("Basic dXNlcjpwYXNz")).isNull();
        assertThat(TokenService.bearerToken("Bearer")).isNull();
        assertThat(TokenService.bearerToken(null)).isNull();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
