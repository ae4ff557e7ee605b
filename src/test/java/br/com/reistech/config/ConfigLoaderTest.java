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
            "DB_USER", "reistech"));

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
    void secretValuesNeverAppearInProblems() {
        values.put("SEED_WORKSPACE", "demo");
        values.put("SEED_ADMIN_EMAIL", "admin@example.com");
        values.put("SEED_ADMIN_PASSWORD", "hunter2");

        ConfigException failure = catchThrowableOfType(ConfigException.class, this::load);

        assertThat(failure.getMessage()).contains("SEED_ADMIN_PASSWORD=****").doesNotContain("hunter2");
    }

    @Test
    void passwordsAreRedactedFromToString() {
        values.put("DB_PASSWORD", "s3cr3t-db");
        values.put("REDIS_PASSWORD", "s3cr3t-redis");
        AppConfig config = load();
        assertThat(config.toString()).doesNotContain("s3cr3t");
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
