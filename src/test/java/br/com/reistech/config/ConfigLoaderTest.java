package br.com.reistech.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import br.com.reistech.config.AppConfig.RedisMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private final Map<String, String> values = new HashMap<>(Map.of(
            "DB_URL", "jdbc:postgresql://127.0.0.1:5432/reistech",
            "DB_USER", "reistech",
            "JWT_SECRET", "0123456789abcdef0123456789abcdef-access",
            "JWT_REFRESH_SECRET", "0123456789abcdef0123456789abcdef-refresh",
            "WHATSAPP_SECRETS_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));

    private AppConfig load() {
        return ConfigLoader.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void minimalConfigurationGetsTheDocumentedDefaults() {
        AppConfig config = load();
        assertThat(config.database().poolSize()).isEqualTo(10);
        assertThat(config.database().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.redis().mode()).isEqualTo(RedisMode.SINGLE);
        assertThat(config.redis().addresses()).extracting(Object::toString).containsExactly("redis://127.0.0.1:6379");
        assertThat(config.redis().keyPrefix()).isEmpty();
        assertThat(config.log().dir().toString()).isEqualTo("/var/log/reistech");
        assertThat(config.seed().workspace()).isEmpty();
        assertThat(config.diagnostics()).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        values.remove("DB_USER");
        values.put("DB_URL", "jdbc:mysql://x/y");
        values.put("DB_POOL_SIZE", "many");
        values.put("REDIS_MODE", "sentinel");
        values.put("REDIS_ADDRESSES", "localhost:6379");
        values.put("LOG_DIR", "relative/logs");
        values.put("DIAGNOSTICS_ENABLED", "yes");

        ConfigException failure = catchThrowableOfType(ConfigException.class, this::load);

        assertThat(failure.problems()).containsExactlyInAnyOrder(
                "DB_URL='jdbc:mysql://x/y' must start with jdbc:postgresql://",
                "DB_USER is required but not set",
                "DB_POOL_SIZE='many' must be an integer from 1 to 200",
                "REDIS_ADDRESSES='localhost:6379' each address must look like redis://host:port or rediss://host:port",
                "REDIS_SENTINEL_MASTER='' is required when REDIS_MODE=sentinel",
                "LOG_DIR='relative/logs' must be an absolute path",
                "DIAGNOSTICS_ENABLED='yes' must be true or false");
        assertThat(failure.getMessage()).startsWith("ReisTech configuration is invalid (7 problems)");
    }

    @Test
    void limitsOriginsAndListsAreValidatedLikeEverythingElse() {
        values.put("CORS_ORIGINS", "*,ftp://x");
        values.put("CORS_ALLOW_CREDENTIALS", "true");
        values.put("RATE_LIMIT_LOGIN", "5 per minute");
        values.put("RATE_LIMIT_API", "0/60");
        values.put("RATE_LIMIT_DENY", "10.0.0.0/8,not-a-network");
        values.put("CACHE_TTL_CMS_TEXT", "0");

        ConfigException failure = catchThrowableOfType(ConfigException.class, this::load);

        assertThat(failure.problems()).containsExactlyInAnyOrder(
                "CORS_ORIGINS='ftp://x' must list origins such as https://loja.example.com (or *)",
                "CORS_ALLOW_CREDENTIALS='true' cannot be combined with CORS_ORIGINS=*: list the origins",
                "RATE_LIMIT_LOGIN='5 per minute' must be limit/windowSeconds[/banAfter], e.g. 5/900/3",
                "RATE_LIMIT_API='0/60' the limit must be 1 to 1000000 requests",
                "RATE_LIMIT_DENY='not-a-network' must be an IP address or network such as 203.0.113.0/24 or 2001:db8::/32",
                "CACHE_TTL_CMS_TEXT='0' must be an integer from 1 to 86400");
    }

    @Test
    void secretValuesNeverAppearInProblems() {
        values.put("SEED_WORKSPACE", "demo");
        values.put("SEED_ADMIN_EMAIL", "admin@example.com");
        values.put("SEED_ADMIN_PASSWORD", "hunter2");

        ConfigException failure = catchThrowableOfType(ConfigException.class, this::load);

        assertThat(failure.getMessage()).contains("SEED_ADMIN_PASSWORD=****").doesNotContain("hunter2");
    }

    @Test
    void jwtSecretsShorterThan256BitsSamplesOrRepetitiveAreRefused() {
        values.put("JWT_SECRET", "short-but-random-9f8e7d");
        values.put("JWT_REFRESH_SECRET", "a".repeat(64));
        ConfigException failure = catchThrowableOfType(ConfigException.class, this::load);
        assertThat(failure.problems()).containsExactlyInAnyOrder(
                "JWT_SECRET=**** must be at least 256 bits (32 bytes)",
                "JWT_REFRESH_SECRET=**** must be a random secret, not a sample or repetitive value");

        values.put("JWT_SECRET", "your-256-bit-secret".toUpperCase(java.util.Locale.ROOT) + "x".repeat(13));
        values.put("JWT_REFRESH_SECRET", "your-256-bit-secret");
        assertThat(catchThrowableOfType(ConfigException.class, this::load).problems())
                .contains("JWT_REFRESH_SECRET=**** must be at least 256 bits (32 bytes)");
    }

    @Test
    void hs512NeedsA512BitSecretAndBothSecretsMustDiffer() {
        values.put("JWT_ALGORITHM", "hs512");
        values.put("JWT_REFRESH_SECRET", values.get("JWT_SECRET"));
        assertThat(catchThrowableOfType(ConfigException.class, this::load).problems()).containsExactlyInAnyOrder(
                "JWT_SECRET=**** must be at least 512 bits (64 bytes)",
                "JWT_REFRESH_SECRET=**** must be at least 512 bits (64 bytes)",
                "JWT_REFRESH_SECRET=**** must differ from JWT_SECRET");
    }

    @Test
    void missingJwtSecretsStopStartUp() {
        values.remove("JWT_SECRET");
        values.remove("JWT_REFRESH_SECRET");
        assertThat(catchThrowableOfType(ConfigException.class, this::load).problems()).containsExactlyInAnyOrder(
                "JWT_SECRET is required but not set", "JWT_REFRESH_SECRET is required but not set");
    }

    @Test
    void credentialsInsideUrlsAreNeverEchoed() {
        values.put("DB_URL", "jdbc:mysql://db/x?user=app&password=s3cr3t-in-url");
        values.put("REDIS_ADDRESSES", "redis://:s3cr3t-redis@cache:6379,redis://b:1");
        ConfigException failure = catchThrowableOfType(ConfigException.class, this::load);
        assertThat(failure.getMessage()).doesNotContain("s3cr3t").contains("password=****", "//****@");
    }

    @Test
    void passwordsAreRedactedFromToString() {
        values.put("DB_PASSWORD", "s3cr3t-db");
        values.put("REDIS_PASSWORD", "s3cr3t-redis");
        AppConfig config = load();
        assertThat(config.toString()).doesNotContain("s3cr3t", "0123456789abcdef");
    }

    @Test
    void clusterModeTakesSeveralAddressesButSingleModeOnlyOne() {
        values.put("REDIS_MODE", "cluster");
        values.put("REDIS_ADDRESSES", "redis://10.0.0.1:7000, redis://10.0.0.2:7000");
        assertThat(load().redis().addresses()).hasSize(2);

        values.put("REDIS_MODE", "single");
        assertThat(catchThrowableOfType(ConfigException.class, this::load).problems())
                .containsExactly("REDIS_ADDRESSES='redis://10.0.0.1:7000,redis://10.0.0.2:7000' must hold exactly one address when REDIS_MODE=single");
    }

    @Test
    void systemPropertyWinsOverEnvironmentWhichWinsOverJndi() {
        ConfigSource properties = key -> "A".equals(key) ? Optional.of("property") : Optional.empty();
        ConfigSource environment = key -> "A".equals(key) || "B".equals(key) ? Optional.of("environment") : Optional.empty();
        ConfigSource jndi = key -> Optional.of("jndi");
        ConfigSource source = ConfigSource.firstOf(properties, environment, jndi);

        assertThat(source.get("A")).contains("property");
        assertThat(source.get("B")).contains("environment");
        assertThat(source.get("C")).contains("jndi");
    }
}
