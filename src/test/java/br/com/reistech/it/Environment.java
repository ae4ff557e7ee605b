package br.com.reistech.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What every integration test class shares, built once per test run: a fresh PostgreSQL database,
 * a fresh Redis key prefix, and the WAR deployed at {@code /} on a real Tomcat 10.1 process.
 * Test classes take it as a parameter ({@code @ExtendWith(Environment.Extension.class)}); it is torn
 * down (Tomcat stopped, database dropped, keys deleted) when the whole run ends.
 */
public final class Environment implements AutoCloseable {

    public static final String ADMIN_EMAIL = "admin@demo.example";

    public final String database;
    public final String dbUser;
    public final String dbPassword;
    public final String redisPrefix;
    public final String adminPassword = "It-" + UUID.randomUUID();
    public final String jwtSecret = UUID.randomUUID() + "-" + UUID.randomUUID();
    public final String jwtRefreshSecret = UUID.randomUUID() + "-" + UUID.randomUUID();
    public final Path war = Path.of(System.getProperty("it.war"));
    public final Path workDir;
    public final TomcatServer tomcat;
    /** Stands in for Meta's Graph API (the only outside service). */
    public final WireMockServer graph = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    public final String secretsKey = java.util.Base64.getEncoder().encodeToString(
            UUID.randomUUID().toString().replace("-", "").getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private Environment() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36) + UUID.randomUUID().toString().substring(0, 6);
        this.database = "reistech_it_" + run.replace('-', '_');
        this.dbUser = System.getProperty("it.pg.user", "postgres");
        this.dbPassword = System.getProperty("it.pg.password", "");
        this.redisPrefix = "it-" + run;
        this.workDir = Files.createDirectories(Path.of(System.getProperty("it.workDir")).resolve(run));
        admin("create database " + database);
        graph.start();
        this.tomcat = TomcatServer.start(Path.of(System.getProperty("it.tomcat10.home")),
                workDir.resolve("tomcat10"), war, appConfig("ROOT", Map.of()));
    }

    /** A client of the application deployed at {@code /}. */
    public ApiClient api() {
        return new ApiClient(tomcat);
    }

    /** A fresh access token of the seeded platform administrator. */
    public String platformToken() throws Exception {
        return api().tokens("demo", ADMIN_EMAIL, adminPassword).access();
    }

    /** The test installation's media size limit, small so that 413 is cheap to provoke. */
    public static final int MEDIA_MAX_BYTES = 1024 * 1024;

    private RedissonClient inspector;

    /**
     * Milliseconds left to a Redis key of the installation ({@code name} without the prefix): -2 when
     * it does not exist, -1 when it never expires.
     */
    public synchronized long redisTtl(String name) {
        return inspector().getKeys().remainTimeToLive(redisPrefix + ":" + name);
    }

    /** A Redis hash of the installation ({@code name} without the prefix), as an operator would reach it. */
    public synchronized org.redisson.api.RMap<String, String> redisHash(String name) {
        return inspector().getMap(redisPrefix + ":" + name, org.redisson.client.codec.StringCodec.INSTANCE);
    }

    /** A Redis string of the installation ({@code name} without the prefix). */
    public synchronized org.redisson.api.RBucket<String> redisString(String name) {
        return inspector().getBucket(redisPrefix + ":" + name, org.redisson.client.codec.StringCodec.INSTANCE);
    }

    private RedissonClient inspector() {
        if (inspector == null) {
            Config config = new Config();
            config.useSingleServer().setAddress("redis://127.0.0.1:" + redisPort());
            inspector = Redisson.create(config);
        }
        return inspector;
    }

    /** The configuration of an application context named {@code name}, with {@code overrides} applied. */
    public Map<String, String> appConfig(String name, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort() + "/" + database);
        config.put("DB_USER", dbUser);
        config.put("DB_PASSWORD", dbPassword);
        config.put("REDIS_ADDRESSES", "redis://127.0.0.1:" + redisPort());
        config.put("REDIS_KEY_PREFIX", redisPrefix);
        config.put("LOG_DIR", workDir.resolve("logs-" + name).toString());
        config.put("UPLOAD_DIR", workDir.resolve("uploads").toString());
        config.put("MEDIA_MAX_BYTES", Integer.toString(MEDIA_MAX_BYTES));
        config.put("DIAGNOSTICS_ENABLED", "true");
        // The overall status the tests assert must not hang on how busy or full the machine running them is.
        config.put("HEALTH_LOAD_PER_CORE_MAX", "1000");
        config.put("HEALTH_DISK_MIN_FREE_MB", "0");
        // Nor on a slow Redis reply under a test's burst: past these, a node decides alone (cache load,
        // rate limit), which the tests that count loads or admissions would see. The outage tests put
        // back the product's 250 ms.
        config.put("CACHE_TIMEOUT_MS", "2000");
        config.put("RATE_LIMIT_TIMEOUT_MS", "2000");
        // The suite logs in and calls the API far more than a person would; RateLimitIT sets real limits.
        config.put("CORS_ORIGINS", "https://painel.reistech.test");
        config.put("RATE_LIMIT_LOGIN", "100000/60/0");
        config.put("RATE_LIMIT_API", "100000/60/0");
        config.put("RATE_LIMIT_WHATSAPP_SEND", "100000/60/0");
        config.put("JWT_SECRET", jwtSecret);
        config.put("JWT_REFRESH_SECRET", jwtRefreshSecret);
        config.put("WHATSAPP_SECRETS_KEY", secretsKey);
        config.put("WHATSAPP_GRAPH_URL", "http://127.0.0.1:" + graph.port());
        config.put("WHATSAPP_GRAPH_VERSION", "v21.0");
        config.put("SEED_WORKSPACE", "demo");
        config.put("SEED_ADMIN_EMAIL", ADMIN_EMAIL);
        config.put("SEED_ADMIN_PASSWORD", adminPassword);
        config.putAll(overrides);
        return config;
    }

    public static int pgPort() {
        return Integer.getInteger("it.pg.port", 5432);
    }

    public static int redisPort() {
        return Integer.getInteger("it.redis.port", 6379);
    }

    /**
     * Everything the context {@code name} ({@code ROOT} for the shared one) wrote so far to the log
     * family {@code family} ({@code combined}, {@code error}, {@code http}...), current and rolled
     * (gzipped) files alike, oldest first.
     */
    public String logs(String name, String family) throws java.io.IOException {
        Path dir = workDir.resolve("logs-" + name);
        StringBuilder text = new StringBuilder();
        if (!java.nio.file.Files.isDirectory(dir)) {
            return "";
        }
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(family + "-")).sorted().toList()) {
                try (var in = file.toString().endsWith(".gz")
                        ? new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))
                        : java.nio.file.Files.newInputStream(file)) {
                    text.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return text.toString();
    }

    /** A JDBC connection to this run's database, for assertions on stored data. */
    public Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort() + "/" + database, dbUser, dbPassword);
    }

    /** Runs {@code sql} on the server's {@code postgres} database (create or drop a database). */
    public void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pgPort() + "/postgres", dbUser, dbPassword);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.close();
            graph.stop();
            if (inspector != null) {
                inspector.shutdown();
            }
        } finally {
            admin("drop database if exists " + database + " with (force)");
            Config config = new Config();
            config.useSingleServer().setAddress("redis://127.0.0.1:" + redisPort());
            RedissonClient redis = Redisson.create(config);
            try {
                // Contexts with limits of their own use this prefix plus a suffix.
                redis.getKeys().deleteByPattern(redisPrefix + "*");
            } finally {
                redis.shutdown();
            }
        }
    }

    /** Starts the environment on first use and shares it with every test class of the run. */
    public static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Environment.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(Environment.class, key -> {
                        try {
                            return new Environment();
                        } catch (Exception failure) {
                            throw new IllegalStateException("Integration environment did not start", failure);
                        }
                    }, Environment.class);
        }
    }
}
