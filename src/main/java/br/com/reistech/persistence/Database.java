package br.com.reistech.persistence;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.config.AppConfig.DatabaseConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.flywaydb.core.Flyway;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL for the application: the HikariCP pool, the Flyway migrations (run once at start-up,
 * before anything else touches the schema) and the Hibernate {@link EntityManagerFactory}.
 * {@link #close()} releases all three and deregisters the JDBC driver this webapp loaded, so an
 * undeploy leaves no pool thread or driver reference behind.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource pool;
    private final PoolThreads threads;
    private final EntityManagerFactory entityManagerFactory;

    private Database(HikariDataSource pool, PoolThreads threads, EntityManagerFactory entityManagerFactory) {
        this.pool = pool;
        this.threads = threads;
        this.entityManagerFactory = entityManagerFactory;
    }

    /**
     * Opens the pool (waiting up to {@code startupTimeout} for PostgreSQL), migrates the schema and
     * builds the entity manager factory for {@code entities}.
     */
    public static Database start(DatabaseConfig config, List<Class<?>> entities, String poolName, MeterRegistry metrics) {
        PoolThreads threads = PoolThreads.create();
        HikariDataSource pool;
        try {
            pool = pool(config, threads, poolName, metrics);
        } catch (RuntimeException unreachable) {
            threads.stop();
            throw unreachable;
        }
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            return new Database(pool, threads, entityManagerFactory(pool, entities));
        } catch (RuntimeException failure) {
            pool.close();
            threads.stop();
            throw failure;
        }
    }

    private static HikariDataSource pool(DatabaseConfig config, PoolThreads threads, String poolName,
                                         MeterRegistry metrics) {
        // Hikari is given a DataSource: DriverManager cannot see drivers in WEB-INF/lib inside Tomcat.
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(config.url());
        postgres.setUser(config.user());
        postgres.setPassword(config.password());
        postgres.setApplicationName("reistech");
        postgres.setConnectTimeout(toSeconds(config.connectTimeout()));
        postgres.setSocketTimeout(60);
        postgres.setTcpKeepAlive(true);

        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(unique(poolName));
        hikari.setDataSource(postgres);
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(config.connectTimeout().toMillis());
        hikari.setValidationTimeout(Math.min(config.connectTimeout().toMillis(), 2_000));
        hikari.setInitializationFailTimeout(Math.max(1, config.startupTimeout().toMillis()));
        hikari.setAutoCommit(false);
        // com.zaxxer.hikari:type=Pool (<name>) for JMX consoles; the pool unregisters it on close.
        hikari.setRegisterMbeans(true);
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        hikari.setScheduledExecutor(threads.housekeeping());
        hikari.setThreadFactory(threads.factory());
        return new HikariDataSource(hikari);
    }

    /**
     * {@code name}, or {@code name-2}, {@code name-3}... when another pool of that name has its MBean
     * registered: two versions of one context run side by side during a parallel deployment.
     */
    private static String unique(String name) {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        String candidate = name;
        try {
            for (int n = 2; server.isRegistered(new javax.management.ObjectName("com.zaxxer.hikari:type=Pool (" + candidate + ")")); n++) {
                candidate = name + "-" + n;
            }
        } catch (javax.management.MalformedObjectNameException impossible) {
            throw new IllegalStateException(impossible);
        }
        return candidate;
    }

    private static EntityManagerFactory entityManagerFactory(HikariDataSource pool, List<Class<?>> entities) {
        HibernatePersistenceConfiguration configuration = new HibernatePersistenceConfiguration("reistech");
        entities.forEach(configuration::managedClass);
        Map<String, Object> settings = Map.of(
                AvailableSettings.DATASOURCE, pool,
                AvailableSettings.DIALECT, "org.hibernate.dialect.PostgreSQLDialect",
                AvailableSettings.ALLOW_METADATA_ON_BOOT, false,
                AvailableSettings.CONNECTION_PROVIDER_DISABLES_AUTOCOMMIT, true,
                AvailableSettings.HBM2DDL_AUTO, "none",
                AvailableSettings.JDBC_TIME_ZONE, "UTC",
                AvailableSettings.STATEMENT_BATCH_SIZE, 50,
                AvailableSettings.GENERATE_STATISTICS, true);
        settings.forEach(configuration::property);
        return configuration.createEntityManagerFactory();
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    /** True when PostgreSQL answers a validity check within {@code timeout}. */
    public boolean ping(Duration timeout) {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(Math.max(1, toSeconds(timeout)));
        } catch (SQLException | RuntimeException unreachable) {
            return false;
        }
    }

    /** Pool figures for health reports. */
    public Map<String, Object> poolFigures() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return Collections.emptyMap();
        }
        return Map.of("active", bean.getActiveConnections(), "idle", bean.getIdleConnections(),
                "total", bean.getTotalConnections(), "waiting", bean.getThreadsAwaitingConnection(),
                "max", pool.getMaximumPoolSize());
    }

    @Override
    public void close() {
        try {
            if (entityManagerFactory.isOpen()) {
                entityManagerFactory.close();
            }
        } finally {
            pool.close();
            threads.stop();
            deregisterDrivers();
        }
    }

    /** The pool's housekeeper, connection adder and closer, all on threads this webapp made. */
    private record PoolThreads(OwnedThreads factory, ScheduledThreadPoolExecutor housekeeping) {
        static PoolThreads create() {
            OwnedThreads factory = new OwnedThreads("reistech-db");
            ScheduledThreadPoolExecutor housekeeping = new ScheduledThreadPoolExecutor(1, factory);
            housekeeping.setRemoveOnCancelPolicy(true);
            return new PoolThreads(factory, housekeeping);
        }

        /** Called after the pool has closed, which has already stopped the adder and the closer. */
        void stop() {
            factory.stop(10, List.of(housekeeping));
        }
    }

    private static void deregisterDrivers() {
        ClassLoader own = Database.class.getClassLoader();
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == own) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    private static int toSeconds(Duration duration) {
        return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
