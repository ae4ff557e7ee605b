package br.com.reistech.security;

import br.com.reistech.config.AppConfig;
import br.com.reistech.config.AppConfig.AuthConfig;
import br.com.reistech.config.AppConfig.JwtAlgorithm;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import io.jsonwebtoken.Claims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.MacAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * Issues and verifies the two kinds of JWT, each signed with its own HMAC key:
 * <ul>
 *   <li>access tokens ({@code token_use=access}, 15 min by default) with iss, aud, sub (user),
 *       ws (workspace), role, fam (login session), jti, iat, exp and a {@code kid} header, so keys
 *       can rotate: the previous key still verifies until its tokens expire;</li>
 *   <li>refresh tokens ({@code token_use=refresh}) with sub, ws, fam, jti, iat, exp.</li>
 * </ul>
 * Verification refuses, with one indistinct 401: unsigned tokens ({@code alg: none}), any algorithm
 * other than the configured one, unknown {@code kid}, wrong key, tampering, expiry, a future
 * {@code nbf} or {@code iat}, wrong issuer or audience, a missing or malformed claim, and a token of
 * the other kind.
 *
 * <p>A verified access token is remembered (by its exact text, until it expires; at most
 * {@value #VERIFIED_LIMIT}), so the requests of a console pay for the HMAC and JSON parsing once, not
 * on every request and not twice in one (the rate limiter and the access check both ask). Only tokens
 * that passed every check are remembered; revocation is the session check's business, not this one's.
 */
@ApplicationScoped
public class TokenService {

    private static final String USE = "token_use";
    private static final long SKEW_SECONDS = 30;
    private static final int VERIFIED_LIMIT = 10_000;

    private final AuthConfig config;
    private final Clock clock;
    private final MacAlgorithm algorithm;
    private final SecretKey accessKey;
    private final SecretKey refreshKey;
    private final Map<String, SecretKey> accessKeys = new HashMap<>();
    private final JwtParser accessParser;
    private final JwtParser refreshParser;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(CurrentUser user, long validUntilMillis) {
    }

    @Inject
    public TokenService(AppConfig config, Clock clock) {
        this(config.auth(), clock);
    }

    public TokenService(AuthConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.algorithm = config.algorithm() == JwtAlgorithm.HS512 ? Jwts.SIG.HS512 : Jwts.SIG.HS256;
        this.accessKey = key(config.accessSecret());
        this.refreshKey = key(config.refreshSecret());
        accessKeys.put(config.accessKeyId(), accessKey);
        if (!config.previousAccessSecret().isEmpty()) {
            accessKeys.put(config.previousAccessKeyId(), key(config.previousAccessSecret()));
        }
        this.accessParser = parser(accessKeys);
        this.refreshParser = parser(Map.of("refresh", refreshKey));
    }

    /** Claims carried by a verified refresh token. */
    public record RefreshClaims(UUID tokenId, UUID userId, UUID workspaceId, UUID familyId) {
    }

    public String accessToken(UUID userId, UUID workspaceId, Role role, UUID familyId) {
        Instant now = clock.instant();
        return Jwts.builder()
                .header().keyId(config.accessKeyId()).and()
                .issuer(config.issuer()).audience().add(config.audience()).and()
                .subject(userId.toString())
                .claim("ws", workspaceId.toString())
                .claim("role", role.name())
                .claim("fam", familyId.toString())
                .claim(USE, "access")
                .id(UUID.randomUUID().toString())
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(config.accessTtl())))
                .signWith(accessKey, algorithm)
                .compact();
    }

    public String refreshToken(UUID tokenId, UUID userId, UUID workspaceId, UUID familyId, Instant expiresAt) {
        return Jwts.builder()
                .header().keyId("refresh").and()
                .issuer(config.issuer()).audience().add(config.audience()).and()
                .subject(userId.toString())
                .claim("ws", workspaceId.toString())
                .claim("fam", familyId.toString())
                .claim(USE, "refresh")
                .id(tokenId.toString())
                .issuedAt(Date.from(clock.instant()))
                .expiration(Date.from(expiresAt))
                .signWith(refreshKey, algorithm)
                .compact();
    }

    public CurrentUser verifyAccess(String token) {
        long now = clock.millis();
        Verified known = token == null ? null : verified.get(token);
        if (known != null) {
            if (now < known.validUntilMillis()) {
                return known.user();
            }
            verified.remove(token);
        }
        Claims claims = verify(accessParser, token, "access");
        CurrentUser user;
        try {
            user = new CurrentUser(uuid(claims.getSubject()), uuid(claims.get("ws", String.class)),
                    Role.valueOf(claims.get("role", String.class)), uuid(claims.get("fam", String.class)),
                    required(claims.getId()));
        } catch (RuntimeException malformed) {
            throw rejected();
        }
        if (verified.size() >= VERIFIED_LIMIT) {
            verified.clear();
        }
        verified.put(token, new Verified(user, claims.getExpiration().getTime() + SKEW_SECONDS * 1000));
        return user;
    }

    public RefreshClaims verifyRefresh(String token) {
        Claims claims = verify(refreshParser, token, "refresh");
        try {
            return new RefreshClaims(uuid(claims.getId()), uuid(claims.getSubject()),
                    uuid(claims.get("ws", String.class)), uuid(claims.get("fam", String.class)));
        } catch (RuntimeException malformed) {
            throw rejected();
        }
    }

    public Instant accessExpiry(Instant issuedAt) {
        return issuedAt.plus(config.accessTtl());
    }

    private Claims verify(JwtParser parser, String token, String use) {
        if (token == null || token.isBlank() || token.length() > 4096) {
            throw rejected();
        }
        try {
            Claims claims = parser.parseSignedClaims(token).getPayload();
            Date issuedAt = claims.getIssuedAt();
            if (!use.equals(claims.get(USE, String.class)) || issuedAt == null || claims.getExpiration() == null
                    || issuedAt.toInstant().isAfter(clock.instant().plusSeconds(SKEW_SECONDS))) {
                throw rejected();
            }
            return claims;
        } catch (JwtException | IllegalArgumentException | ClassCastException invalid) {
            throw rejected();
        }
    }

    private JwtParser parser(Map<String, SecretKey> keys) {
        return Jwts.parser()
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(JwsHeader header) {
                        SecretKey key = keys.get(header.getKeyId());
                        if (key == null || !algorithm.getId().equals(header.getAlgorithm())) {
                            throw new JwtException("unexpected key id or algorithm");
                        }
                        return key;
                    }
                })
                .requireIssuer(config.issuer())
                .requireAudience(config.audience())
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(SKEW_SECONDS)
                .build();
    }

    private static SecretKey key(String secret) {
        return Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static UUID uuid(String value) {
        return UUID.fromString(required(value));
    }

    private static String required(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing claim");
        }
        return value;
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null for any other header, or none. */
    public static String bearerToken(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
    }

    /** The one, indistinct 401 of every refused credential, wherever it is checked. */
    public static ApiException rejected() {
        return new ApiException(ProblemType.UNAUTHORIZED, "Missing, invalid or expired token");
    }
}
