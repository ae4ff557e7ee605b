package br.com.reistech.config;

import br.com.reistech.cache.CacheKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration of one ReisTech installation, immutable and validated by
 * {@link ConfigLoader}. Every key is listed with its default and rule in docs/configuration.md.
 *
 * @param database PostgreSQL, the system of record
 * @param redis Redis through Redisson: cache, locks, rate limits, cross-node events
 * @param log where log files go
 * @param media where uploaded and downloaded media files go, and how big one may be
 * @param cache TTLs and the Redis fallback of the cache
 * @param rateLimit the rate-limit policies, bans and IP lists
 * @param cors browser origins allowed for every workspace
 * @param headers the configurable security headers
 * @param monitoring health report, metrics access, Sentry and Slack alerts
 * @param seed what to create at start-up when it does not exist yet (local runs and demos)
 * @param diagnostics whether {@code /api/diagnostics/*} is served; off in production
 */
public record AppConfig(
        DatabaseConfig database, RedisConfig redis, AuthConfig auth, WhatsAppConfig whatsapp, LogConfig log,
        MediaConfig media, CacheConfig cache, RateLimitConfig rateLimit, CorsConfig cors, HeadersConfig headers,
        MonitoringConfig monitoring, SeedConfig seed, boolean diagnostics) {

    /** Whether messages really go to Meta, or are only recorded (local runs, demos). */
    public enum WhatsAppMode { CLOUD, SIMULATED }

    /**
     * @param mode {@code cloud} (default) or {@code simulated} ({@code WHATSAPP_MODE})
     * @param graphUrl base URL of the Graph API ({@code WHATSAPP_GRAPH_URL}, https://graph.facebook.com)
     * @param graphVersion default Graph API version of new accounts ({@code WHATSAPP_GRAPH_VERSION}, v21.0)
     * @param secretsKey AES-256 key (base64 of 32 bytes) that encrypts account secrets at rest
     *        ({@code WHATSAPP_SECRETS_KEY})
     * @param sendsPerSecond outbound pacing per phone number ({@code WHATSAPP_SENDS_PER_SECOND}, 80)
     * @param recipientInterval least time between two messages to one recipient
     *        ({@code WHATSAPP_RECIPIENT_INTERVAL_MS}, 0)
     * @param workers threads processing webhooks and sending ({@code WHATSAPP_WORKERS}, 4)
     * @param httpTimeout Graph API request timeout ({@code WHATSAPP_HTTP_TIMEOUT_MS}, 10000)
     */
    public record WhatsAppConfig(WhatsAppMode mode, String graphUrl, String graphVersion, byte[] secretsKey,
                                 int sendsPerSecond, Duration recipientInterval, int workers, Duration httpTimeout) {
        @Override
        public String toString() {
            return "WhatsAppConfig[mode=" + mode + ", graphUrl=" + graphUrl + ", graphVersion=" + graphVersion
                    + ", secretsKey=****]";
        }
    }

    /** Signing algorithms accepted for JWTs (HMAC with SHA-256 or SHA-512). */
    public enum JwtAlgorithm { HS256, HS512 }

    /**
     * @param algorithm signing algorithm of every token ({@code JWT_ALGORITHM}, HS256 by default)
     * @param accessSecret HMAC key of access tokens, at least 256 bits (512 for HS512) ({@code JWT_SECRET})
     * @param accessKeyId {@code kid} of that key ({@code JWT_KEY_ID})
     * @param previousAccessSecret the key before the last rotation, still accepted for verification
     *        until its tokens expire ({@code JWT_PREVIOUS_SECRET}, optional)
     * @param previousAccessKeyId its {@code kid} ({@code JWT_PREVIOUS_KEY_ID})
     * @param refreshSecret separate HMAC key of refresh tokens ({@code JWT_REFRESH_SECRET})
     * @param issuer {@code iss} ({@code JWT_ISSUER})
     * @param audience {@code aud} ({@code JWT_AUDIENCE})
     * @param accessTtl access token lifetime ({@code JWT_ACCESS_TTL_SECONDS}, 900)
     * @param refreshTtl refresh token lifetime ({@code JWT_REFRESH_TTL_SECONDS}, 14 days)
     * @param maxFailedLogins failures before an account locks ({@code LOGIN_MAX_FAILURES}, 5)
     * @param lockout how long it stays locked ({@code LOGIN_LOCKOUT_SECONDS}, 900)
     */
    public record AuthConfig(JwtAlgorithm algorithm, String accessSecret, String accessKeyId,
                             String previousAccessSecret, String previousAccessKeyId, String refreshSecret,
                             String issuer, String audience, Duration accessTtl, Duration refreshTtl,
                             int maxFailedLogins, Duration lockout) {
        @Override
        public String toString() {
            return "AuthConfig[algorithm=" + algorithm + ", kid=" + accessKeyId + ", secrets=****, issuer=" + issuer
                    + ", audience=" + audience + ", accessTtl=" + accessTtl + "]";
        }
    }

    /**
     * @param url JDBC URL, {@code jdbc:postgresql://host:port/db} ({@code DB_URL})
     * @param user database role ({@code DB_USER})
     * @param password its password, may be empty with trust authentication ({@code DB_PASSWORD})
     * @param poolSize maximum pool connections ({@code DB_POOL_SIZE}, 1–200, default 10)
     * @param connectTimeout longest wait for a pooled connection ({@code DB_CONNECT_TIMEOUT_MS})
     * @param startupTimeout how long start-up waits for PostgreSQL to answer ({@code DB_STARTUP_TIMEOUT_MS})
     */
    public record DatabaseConfig(String url, String user, String password, int poolSize,
                                 Duration connectTimeout, Duration startupTimeout) {
        @Override
        public String toString() {
            return "DatabaseConfig[url=" + ConfigLoader.withoutCredentials(url) + ", user=" + user + ", password=****, poolSize="
                    + poolSize + "]";
        }
    }

    /** Redis topologies Redisson is configured for. */
    public enum RedisMode { SINGLE, SENTINEL, CLUSTER }

    /**
     * @param mode single server, sentinel or cluster ({@code REDIS_MODE})
     * @param addresses {@code redis://} or {@code rediss://} URIs: the server, the sentinels or cluster
     *        seed nodes ({@code REDIS_ADDRESSES}, comma separated)
     * @param password optional ({@code REDIS_PASSWORD})
     * @param sentinelMaster master name, sentinel mode only ({@code REDIS_SENTINEL_MASTER})
     * @param database logical database, not in cluster mode ({@code REDIS_DATABASE})
     * @param keyPrefix prepended with ':' to every key, so installations can share a Redis
     *        ({@code REDIS_KEY_PREFIX}, empty by default)
     * @param timeout command response timeout ({@code REDIS_TIMEOUT_MS})
     */
    public record RedisConfig(RedisMode mode, List<URI> addresses, String password, String sentinelMaster,
                              int database, String keyPrefix, Duration timeout) {
        @Override
        public String toString() {
            return "RedisConfig[mode=" + mode + ", addresses=" + ConfigLoader.withoutCredentials(addresses.toString())
                    + ", password=****, keyPrefix=" + keyPrefix + "]";
        }
    }

    /**
     * @param uploadDir directory of media files, named by SHA-256 ({@code UPLOAD_DIR})
     * @param maxBytes largest media file accepted, uploaded or downloaded ({@code MEDIA_MAX_BYTES}, 16 MiB)
     */
    public record MediaConfig(Path uploadDir, long maxBytes) {
    }

    /**
     * @param enabled whether reads use the cache at all ({@code CACHE_ENABLED}, true; false only to
     *        measure or to rule the cache out)
     * @param ttls TTL of each kind ({@code CACHE_TTL_<KIND>} seconds, defaults in {@link CacheKind})
     * @param timeout longest wait for one Redis cache command ({@code CACHE_TIMEOUT_MS}, 250)
     * @param breakerFailures consecutive Redis failures that open the breaker ({@code CACHE_BREAKER_FAILURES}, 5)
     * @param breakerOpen how long the breaker stays open before one probe ({@code CACHE_BREAKER_OPEN_MS}, 5000)
     * @param warmBudget longest start-up warming ({@code CACHE_WARM_BUDGET_MS}, 10000)
     * @param nearMaxEntries entries kept in each node's memory ({@code CACHE_NEAR_MAX_ENTRIES}, 50000)
     */
    public record CacheConfig(boolean enabled, java.util.Map<CacheKind, Duration> ttls, Duration timeout, int breakerFailures,
                              Duration breakerOpen, Duration warmBudget, int nearMaxEntries) {
        public Duration ttl(CacheKind kind) {
            return ttls.getOrDefault(kind, kind.defaultTtl());
        }
    }

    /**
     * @param enabled whether the rate-limit filter acts ({@code RATE_LIMIT_ENABLED}, true)
     * @param policies the policies at start-up, by name ({@code RATE_LIMIT_LOGIN}, {@code _WHATSAPP_SEND},
     *        {@code _API}: {@code limit/windowSeconds[/banAfter]})
     * @param banDurations ban lengths by repeat ({@code RATE_LIMIT_BAN_SECONDS}, 900,3600,86400)
     * @param violationDecay violations are forgotten this long after the last one ({@code RATE_LIMIT_VIOLATION_DECAY_SECONDS}, 3600)
     * @param deny CIDRs refused with 403 at start-up ({@code RATE_LIMIT_DENY}, comma-separated)
     * @param allow CIDRs that skip every limit ({@code RATE_LIMIT_ALLOW})
     * @param timeout longest wait for the Redis decision ({@code RATE_LIMIT_TIMEOUT_MS}, 250)
     */
    public record RateLimitConfig(boolean enabled, java.util.Map<String, String> policies, List<Duration> banDurations,
                                  Duration violationDecay, List<String> deny, List<String> allow, Duration timeout) {
    }

    /**
     * @param origins lower-cased origins allowed for every workspace ({@code CORS_ORIGINS}, comma-separated;
     *        {@code *} for any, only without credentials); each workspace adds its own
     * @param credentials whether browsers may send cookies or HTTP auth ({@code CORS_ALLOW_CREDENTIALS}, false)
     * @param maxAge how long browsers may keep a preflight's answer ({@code CORS_MAX_AGE_SECONDS}, 600)
     */
    public record CorsConfig(java.util.Set<String> origins, boolean credentials, Duration maxAge) {
    }

    /**
     * @param contentSecurityPolicy {@code SECURITY_CSP} ({@code default-src 'none'; frame-ancestors 'none'})
     * @param hstsMaxAge HSTS max-age on HTTPS requests ({@code SECURITY_HSTS_MAX_AGE_SECONDS}, one year; at least a day)
     */
    public record HeadersConfig(String contentSecurityPolicy, Duration hstsMaxAge) {
    }

    /** Log layouts: a readable pattern, or one JSON object per line. */
    public enum LogFormat { TEXT, JSON }

    /**
     * Read by log4j2.xml itself (through {@code br.com.reistech.logging}); validated here so that a
     * wrong value stops the start-up like any other.
     *
     * @param dir folder of the log files ({@code LOG_DIR})
     * @param format {@code text} or {@code json} ({@code LOG_FORMAT})
     * @param level level of the application's own loggers ({@code LOG_LEVEL}, INFO; DEBUG only when needed)
     */
    public record LogConfig(Path dir, LogFormat format, String level) {
    }

    /**
     * @param healthCacheTtl how long one computed health report is served ({@code HEALTH_CACHE_MS}, 5000)
     * @param networks CIDRs that see health details and metrics without a token
     *        ({@code MONITORING_NETWORKS}, loopback only)
     * @param diskMinFreeBytes free space under which a log or upload folder degrades health
     *        ({@code HEALTH_DISK_MIN_FREE_MB}, 1024)
     * @param heapMaxPercent heap use (of the maximum) above which memory degrades health
     *        ({@code HEALTH_HEAP_MAX_PERCENT}, 90)
     * @param loadPerCoreMax one-minute load average per core above which CPU degrades health
     *        ({@code HEALTH_LOAD_PER_CORE_MAX}, 4)
     * @param sentryDsn errors go to Sentry when set ({@code SENTRY_DSN})
     * @param environment environment name of Sentry events and alerts ({@code SENTRY_ENVIRONMENT}, production)
     * @param slackWebhook Slack incoming webhook of alerts, none when empty ({@code SLACK_WEBHOOK_URL})
     * @param slackChannel channel override ({@code SLACK_CHANNEL}, the webhook's own when empty)
     * @param watchInterval how often health, errors and bans are watched for alerts ({@code ALERT_WATCH_SECONDS}, 15)
     * @param settle how long a condition must stay clear before its recovery is announced
     *        ({@code ALERT_SETTLE_SECONDS}, 120): a flapping dependency gives one alert and one recovery
     * @param repeat least time between two alerts of one fingerprint ({@code ALERT_REPEAT_SECONDS}, 1800)
     * @param errorBurst errors logged within one minute that raise an alert ({@code ALERT_ERROR_BURST}, 20)
     * @param banStorm addresses banned within one minute that raise an alert ({@code ALERT_BAN_STORM}, 20)
     */
    public record MonitoringConfig(Duration healthCacheTtl, List<String> networks, long diskMinFreeBytes,
                                   int heapMaxPercent, double loadPerCoreMax, Optional<URI> sentryDsn,
                                   String environment, Optional<URI> slackWebhook, String slackChannel,
                                   Duration watchInterval, Duration settle, Duration repeat, int errorBurst,
                                   int banStorm) {
        @Override
        public String toString() {
            return "MonitoringConfig[networks=" + networks + ", sentry=" + sentryDsn.isPresent() + ", slack="
                    + slackWebhook.isPresent() + "]";
        }
    }

    /**
     * @param workspace slug of a workspace to create at start-up if missing ({@code SEED_WORKSPACE})
     * @param adminEmail its first administrator ({@code SEED_ADMIN_EMAIL})
     * @param adminPassword that administrator's password ({@code SEED_ADMIN_PASSWORD})
     */
    public record SeedConfig(Optional<String> workspace, String adminEmail, String adminPassword) {
        @Override
        public String toString() {
            return "SeedConfig[workspace=" + workspace + ", adminEmail=" + adminEmail + ", adminPassword=****]";
        }
    }
}
