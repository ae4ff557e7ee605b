package br.com.reistech.config;

import br.com.reistech.cache.CacheKind;
import br.com.reistech.config.AppConfig.AuthConfig;
import br.com.reistech.config.AppConfig.CacheConfig;
import br.com.reistech.config.AppConfig.CorsConfig;
import br.com.reistech.config.AppConfig.DatabaseConfig;
import br.com.reistech.config.AppConfig.HeadersConfig;
import br.com.reistech.config.AppConfig.JwtAlgorithm;
import br.com.reistech.config.AppConfig.LogConfig;
import br.com.reistech.config.AppConfig.MediaConfig;
import br.com.reistech.config.AppConfig.RateLimitConfig;
import br.com.reistech.config.AppConfig.RedisConfig;
import br.com.reistech.config.AppConfig.RedisMode;
import br.com.reistech.config.AppConfig.SeedConfig;
import br.com.reistech.config.AppConfig.WhatsAppConfig;
import br.com.reistech.config.AppConfig.WhatsAppMode;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The only reader of configuration. Reads every key, validates each, and either returns a complete
 * {@link AppConfig} or throws one {@link ConfigException} naming every problem (key, value, rule),
 * with values of secret keys redacted.
 */
public final class ConfigLoader {

    /** Keys whose values never appear in messages or logs. */
    public static final Set<String> SECRET_KEYS = Set.of("DB_PASSWORD", "REDIS_PASSWORD", "SEED_ADMIN_PASSWORD",
            "JWT_SECRET", "JWT_PREVIOUS_SECRET", "JWT_REFRESH_SECRET", "WHATSAPP_SECRETS_KEY", "SENTRY_DSN",
            "SLACK_WEBHOOK_URL");

    /** Published example secrets and placeholders that must never sign real tokens. */
    private static final Set<String> SAMPLE_SECRETS = Set.of(
            "your-256-bit-secret", "your-512-bit-secret", "changeme", "change-me", "secret", "password",
            "please-change-this-secret-in-production", "mysecretkey", "supersecret", "jwt-secret");

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9_.-]{0,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]+");

    private final ConfigSource source;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(ConfigSource source) {
        this.source = source;
    }

    /** Reads and validates the whole configuration from {@code source}. */
    public static AppConfig load(ConfigSource source) {
        return new ConfigLoader(source).load();
    }

    private AppConfig load() {
        AppConfig config = new AppConfig(database(), redis(), auth(), whatsapp(), log(), media(), cache(), rateLimit(), cors(), headers(),
                monitoring(), seed(),
                bool("DIAGNOSTICS_ENABLED", false));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private DatabaseConfig database() {
        String url = required("DB_URL");
        if (url != null && !url.startsWith("jdbc:postgresql://")) {
            problem("DB_URL", url, "must start with jdbc:postgresql://");
        }
        return new DatabaseConfig(url, required("DB_USER"), text("DB_PASSWORD", ""),
                integer("DB_POOL_SIZE", 10, 1, 200),
                millis("DB_CONNECT_TIMEOUT_MS", 3_000, 250, 60_000),
                millis("DB_STARTUP_TIMEOUT_MS", 30_000, 0, 600_000));
    }

    private RedisConfig redis() {
        RedisMode mode = choice("REDIS_MODE", RedisMode.SINGLE, RedisMode.class);
        List<URI> addresses = redisAddresses();
        String master = text("REDIS_SENTINEL_MASTER", "");
        if (mode == RedisMode.SENTINEL && master.isBlank()) {
            problem("REDIS_SENTINEL_MASTER", master, "is required when REDIS_MODE=sentinel");
        }
        if (mode == RedisMode.SINGLE && addresses.size() > 1) {
            problem("REDIS_ADDRESSES", String.join(",", addresses.stream().map(URI::toString).toList()),
                    "must hold exactly one address when REDIS_MODE=single");
        }
        String prefix = text("REDIS_KEY_PREFIX", "");
        if (!KEY_PREFIX.matcher(prefix).matches()) {
            problem("REDIS_KEY_PREFIX", prefix, "must be 0-64 characters of A-Z a-z 0-9 _ . -");
        }
        int database = integer("REDIS_DATABASE", 0, 0, 15);
        if (mode == RedisMode.CLUSTER && database != 0) {
            problem("REDIS_DATABASE", String.valueOf(database), "must be 0 when REDIS_MODE=cluster");
        }
        return new RedisConfig(mode, addresses, text("REDIS_PASSWORD", ""), master, database, prefix,
                millis("REDIS_TIMEOUT_MS", 2_000, 100, 60_000));
    }

    private List<URI> redisAddresses() {
        String raw = text("REDIS_ADDRESSES", "redis://127.0.0.1:6379");
        List<URI> addresses = new ArrayList<>();
        for (String item : raw.split(",")) {
            String candidate = item.strip();
            try {
                URI uri = URI.create(candidate);
                if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
                        || uri.getHost() == null || uri.getPort() < 1) {
                    throw new IllegalArgumentException();
                }
                addresses.add(uri);
            } catch (IllegalArgumentException bad) {
                problem("REDIS_ADDRESSES", raw, "each address must look like redis://host:port or rediss://host:port");
                return List.of();
            }
        }
        return List.copyOf(addresses);
    }

    private AuthConfig auth() {
        JwtAlgorithm algorithm = choice("JWT_ALGORITHM", JwtAlgorithm.HS256, JwtAlgorithm.class);
        int minBytes = algorithm == JwtAlgorithm.HS512 ? 64 : 32;
        String access = secret("JWT_SECRET", true, minBytes);
        String refresh = secret("JWT_REFRESH_SECRET", true, minBytes);
        String previous = secret("JWT_PREVIOUS_SECRET", false, minBytes);
        if (!access.isEmpty() && access.equals(refresh)) {
            problem("JWT_REFRESH_SECRET", refresh, "must differ from JWT_SECRET");
        }
        String keyId = text("JWT_KEY_ID", "k1").strip();
        String previousKeyId = text("JWT_PREVIOUS_KEY_ID", "").strip();
        if (!keyId.matches("[A-Za-z0-9._-]{1,32}")) {
            problem("JWT_KEY_ID", keyId, "must be 1-32 characters of A-Z a-z 0-9 . _ -");
        }
        if (!previous.isEmpty() && (previousKeyId.isEmpty() || previousKeyId.equals(keyId))) {
            problem("JWT_PREVIOUS_KEY_ID", previousKeyId, "must be set, and differ from JWT_KEY_ID, when JWT_PREVIOUS_SECRET is");
        }
        return new AuthConfig(algorithm, access, keyId, previous, previousKeyId, refresh,
                text("JWT_ISSUER", "reistech").strip(), text("JWT_AUDIENCE", "reistech-api").strip(),
                seconds("JWT_ACCESS_TTL_SECONDS", 900, 60, 86_400),
                seconds("JWT_REFRESH_TTL_SECONDS", 14 * 86_400, 3_600, 90 * 86_400),
                integer("LOGIN_MAX_FAILURES", 5, 1, 100),
                seconds("LOGIN_LOCKOUT_SECONDS", 900, 1, 86_400));
    }

    private WhatsAppConfig whatsapp() {
        WhatsAppMode mode = choice("WHATSAPP_MODE", WhatsAppMode.CLOUD, WhatsAppMode.class);
        String url = text("WHATSAPP_GRAPH_URL", "https://graph.facebook.com").strip();
        if (!url.matches("https?://[^\\s/]+(:[0-9]+)?(/[^\\s]*)?") || url.endsWith("/")) {
            problem("WHATSAPP_GRAPH_URL", url, "must be an http(s) URL without a trailing slash");
        }
        String version = text("WHATSAPP_GRAPH_VERSION", "v21.0").strip();
        if (!version.matches("v[0-9]{1,2}\\.[0-9]")) {
            problem("WHATSAPP_GRAPH_VERSION", version, "must look like v21.0");
        }
        byte[] key = new byte[0];
        String rawKey = source.get("WHATSAPP_SECRETS_KEY").orElse("");
        if (rawKey.isEmpty()) {
            problems.add("WHATSAPP_SECRETS_KEY is required but not set");
        } else {
            try {
                key = java.util.Base64.getDecoder().decode(rawKey.strip());
            } catch (IllegalArgumentException notBase64) {
                key = new byte[0];
            }
            if (key.length != 32) {
                problem("WHATSAPP_SECRETS_KEY", rawKey, "must be the base64 of exactly 32 random bytes");
            }
        }
        return new WhatsAppConfig(mode, url, version, key, integer("WHATSAPP_SENDS_PER_SECOND", 80, 1, 1000),
                millis("WHATSAPP_RECIPIENT_INTERVAL_MS", 0, 0, 60_000), integer("WHATSAPP_WORKERS", 4, 1, 64),
                millis("WHATSAPP_HTTP_TIMEOUT_MS", 10_000, 500, 60_000));
    }

    /** A signing secret: long enough, not a published sample, not a run of few distinct characters. */
    private String secret(String key, boolean required, int minBytes) {
        String value = source.get(key).orElse("");
        if (value.isEmpty()) {
            if (required) {
                problems.add(key + " is required but not set");
            }
            return value;
        }
        if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < minBytes) {
            problem(key, value, "must be at least " + minBytes * 8 + " bits (" + minBytes + " bytes)");
        } else if (SAMPLE_SECRETS.contains(value.toLowerCase(Locale.ROOT))
                || value.chars().distinct().count() < 8) {
            problem(key, value, "must be a random secret, not a sample or repetitive value");
        }
        return value;
    }

    private LogConfig log() {
        String level = text("LOG_LEVEL", "INFO").strip().toUpperCase(Locale.ROOT);
        if (!Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level)) {
            problem("LOG_LEVEL", level, "must be one of error, warn, info, debug, trace");
        }
        return new LogConfig(absolutePath("LOG_DIR", "/var/log/reistech"),
                choice("LOG_FORMAT", AppConfig.LogFormat.TEXT, AppConfig.LogFormat.class), level);
    }

    private AppConfig.MonitoringConfig monitoring() {
        List<String> networks = cidrs("MONITORING_NETWORKS");
        return new AppConfig.MonitoringConfig(millis("HEALTH_CACHE_MS", 5_000, 100, 60_000),
                networks.isEmpty() ? List.of("127.0.0.0/8", "::1/128") : networks,
                integer("HEALTH_DISK_MIN_FREE_MB", 1024, 0, 10_000_000) * 1024L * 1024L,
                integer("HEALTH_HEAP_MAX_PERCENT", 90, 10, 100),
                integer("HEALTH_LOAD_PER_CORE_MAX", 4, 1, 1000),
                httpUrl("SENTRY_DSN"), text("SENTRY_ENVIRONMENT", "production").strip(),
                httpUrl("SLACK_WEBHOOK_URL"), text("SLACK_CHANNEL", "").strip(),
                seconds("ALERT_WATCH_SECONDS", 15, 1, 3_600), seconds("ALERT_SETTLE_SECONDS", 120, 0, 86_400),
                seconds("ALERT_REPEAT_SECONDS", 1_800, 0, 86_400), integer("ALERT_ERROR_BURST", 20, 1, 1_000_000),
                integer("ALERT_BAN_STORM", 20, 1, 1_000_000));
    }

    private Optional<URI> httpUrl(String key) {
        String raw = text(key, "").strip();
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException invalid) {
            // reported below
        }
        problem(key, raw, "must be an http(s) URL");
        return Optional.empty();
    }

    private MediaConfig media() {
        return new MediaConfig(absolutePath("UPLOAD_DIR", "/var/lib/reistech/uploads"),
                integer("MEDIA_MAX_BYTES", 16 * 1024 * 1024, 1024, 100 * 1024 * 1024));
    }

    private CacheConfig cache() {
        java.util.Map<CacheKind, Duration> ttls = new java.util.EnumMap<>(CacheKind.class);
        for (CacheKind kind : CacheKind.values()) {
            ttls.put(kind, seconds("CACHE_TTL_" + kind.name(), (int) kind.defaultTtl().toSeconds(), 1, 86_400));
        }
        return new CacheConfig(bool("CACHE_ENABLED", true), ttls, millis("CACHE_TIMEOUT_MS", 250, 10, 10_000),
                integer("CACHE_BREAKER_FAILURES", 5, 1, 1000), millis("CACHE_BREAKER_OPEN_MS", 5_000, 100, 600_000),
                millis("CACHE_WARM_BUDGET_MS", 10_000, 0, 300_000), integer("CACHE_NEAR_MAX_ENTRIES", 50_000, 100, 10_000_000));
    }

    private HeadersConfig headers() {
        String csp = text("SECURITY_CSP", "default-src 'none'; frame-ancestors 'none'").strip();
        if (csp.isEmpty() || csp.length() > 2000 || csp.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            problem("SECURITY_CSP", csp, "must be a Content-Security-Policy of printable ASCII, at most 2000 characters");
        }
        return new HeadersConfig(csp, seconds("SECURITY_HSTS_MAX_AGE_SECONDS", 31_536_000, 86_400, 63_072_000));
    }

    private CorsConfig cors() {
        java.util.Set<String> origins = new java.util.LinkedHashSet<>();
        for (String part : text("CORS_ORIGINS", "").split(",")) {
            String origin = part.strip().toLowerCase(Locale.ROOT);
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.equals("*") && !origin.matches("https?://[a-z0-9.-]+(:[0-9]{1,5})?")) {
                problem("CORS_ORIGINS", part.strip(), "must list origins such as https://loja.example.com (or *)");
            }
            origins.add(origin);
        }
        boolean credentials = bool("CORS_ALLOW_CREDENTIALS", false);
        if (credentials && origins.contains("*")) {
            problem("CORS_ALLOW_CREDENTIALS", "true", "cannot be combined with CORS_ORIGINS=*: list the origins");
        }
        return new CorsConfig(java.util.Set.copyOf(origins), credentials, seconds("CORS_MAX_AGE_SECONDS", 600, 0, 86_400));
    }

    private RateLimitConfig rateLimit() {
        java.util.Map<String, String> policies = new java.util.LinkedHashMap<>();
        policy(policies, "login", "RATE_LIMIT_LOGIN", "5/900/3");
        policy(policies, "whatsapp-send", "RATE_LIMIT_WHATSAPP_SEND", "30/60/0");
        policy(policies, "api", "RATE_LIMIT_API", "100/60/10");
        List<Duration> bans = new ArrayList<>();
        String rawBans = text("RATE_LIMIT_BAN_SECONDS", "900,3600,86400");
        for (String part : rawBans.split(",")) {
            try {
                long seconds = Long.parseLong(part.strip());
                if (seconds < 1 || seconds > 30L * 86_400) {
                    throw new NumberFormatException();
                }
                bans.add(Duration.ofSeconds(seconds));
            } catch (NumberFormatException bad) {
                problem("RATE_LIMIT_BAN_SECONDS", rawBans, "must be comma-separated seconds, each 1 to 2592000");
                break;
            }
        }
        return new RateLimitConfig(bool("RATE_LIMIT_ENABLED", true), policies, List.copyOf(bans),
                seconds("RATE_LIMIT_VIOLATION_DECAY_SECONDS", 3600, 1, 30 * 86_400),
                cidrs("RATE_LIMIT_DENY"), cidrs("RATE_LIMIT_ALLOW"), millis("RATE_LIMIT_TIMEOUT_MS", 250, 10, 10_000));
    }

    private void policy(java.util.Map<String, String> policies, String name, String key, String fallback) {
        String raw = text(key, fallback).strip();
        try {
            br.com.reistech.ratelimit.Policy.parse(name, raw);
        } catch (IllegalArgumentException invalid) {
            problem(key, raw, invalid.getMessage());
        }
        policies.put(name, raw);
    }

    private List<String> cidrs(String key) {
        List<String> cidrs = new ArrayList<>();
        for (String part : text(key, "").split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                cidrs.add(br.com.reistech.ratelimit.Cidr.parse(part.strip()).toString());
            } catch (IllegalArgumentException invalid) {
                problem(key, part.strip(), invalid.getMessage());
            }
        }
        return List.copyOf(cidrs);
    }

    private Path absolutePath(String key, String fallback) {
        String raw = text(key, fallback);
        try {
            Path dir = Path.of(raw);
            if (!dir.isAbsolute()) {
                problem(key, raw, "must be an absolute path");
            }
            return dir;
        } catch (InvalidPathException bad) {
            problem(key, raw, "must be a valid path");
            return Path.of("/");
        }
    }

    private SeedConfig seed() {
        Optional<String> workspace = source.get("SEED_WORKSPACE").map(String::strip).filter(s -> !s.isEmpty());
        workspace.filter(slug -> !SLUG.matcher(slug).matches())
                .ifPresent(slug -> problem("SEED_WORKSPACE", slug, "must be a slug: a-z, 0-9 and '-', at most 63 characters"));
        String email = text("SEED_ADMIN_EMAIL", "").strip().toLowerCase(Locale.ROOT);
        String password = text("SEED_ADMIN_PASSWORD", "");
        if (workspace.isPresent()) {
            if (!EMAIL.matcher(email).matches()) {
                problem("SEED_ADMIN_EMAIL", email, "must be an e-mail address when SEED_WORKSPACE is set");
            }
            if (password.length() < 12 || password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
                problem("SEED_ADMIN_PASSWORD", password, "must be 12 to 72 bytes when SEED_WORKSPACE is set");
            }
        }
        return new SeedConfig(workspace, email, password);
    }

    private String required(String key) {
        Optional<String> value = source.get(key).filter(v -> !v.isBlank());
        if (value.isEmpty()) {
            problems.add(key + " is required but not set");
            return null;
        }
        return value.get().strip();
    }

    private String text(String key, String fallback) {
        return source.get(key).orElse(fallback);
    }

    private int integer(String key, int fallback, int min, int max) {
        Optional<String> raw = source.get(key).map(String::strip);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the rule
        }
        problem(key, raw.get(), "must be an integer from " + min + " to " + max);
        return fallback;
    }

    private Duration millis(String key, int fallback, int min, int max) {
        return Duration.ofMillis(integer(key, fallback, min, max));
    }

    private boolean bool(String key, boolean fallback) {
        Optional<String> raw = source.get(key).map(v -> v.strip().toLowerCase(Locale.ROOT));
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key, raw.get(), "must be true or false");
                yield fallback;
            }
        };
    }

    /** URLs may carry credentials ({@code redis://:pass@host}, {@code ?password=}): never echo them. */
    static String withoutCredentials(String value) {
        return value == null ? null : value.replaceAll("//[^/@\\s]*@", "//****@")
                .replaceAll("(?i)(password|pass|pwd)=[^&;\\s]*", "$1=****");
    }

    private <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        Optional<String> raw = source.get(key).map(String::strip);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException bad) {
            problem(key, raw.get(), "must be one of " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
            return fallback;
        }
    }

    private Duration seconds(String key, int fallback, int min, int max) {
        return Duration.ofSeconds(integer(key, fallback, min, max));
    }

    private void problem(String key, String value, String rule) {
        String shown = SECRET_KEYS.contains(key) ? "****" : "'" + withoutCredentials(value) + "'";
        problems.add(key + "=" + shown + " " + rule);
    }
}
