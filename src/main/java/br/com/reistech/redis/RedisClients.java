package br.com.reistech.redis;

import br.com.reistech.config.AppConfig.RedisConfig;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.NameMapper;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;

/**
 * Builds the application's single Redisson client for a single server, a Sentinel group or a
 * Cluster, as configured. Every key goes through a {@link NameMapper} that prepends
 * {@code REDIS_KEY_PREFIX:} (when set), so two installations or test runs can share one Redis.
 * The codec is explicit ({@link StringCodec}): callers serialise their own values.
 */
public final class RedisClients {

    private RedisClients() {
    }

    public static RedissonClient create(RedisConfig redis) {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.setThreads(4);
        config.setNettyThreads(8);
        config.setLazyInitialization(true);
        String[] addresses = redis.addresses().stream().map(URI::toString).toArray(String[]::new);
        BaseConfig<?> common = switch (redis.mode()) {
            case SINGLE -> config.useSingleServer()
                    .setAddress(addresses[0])
                    .setDatabase(redis.database())
                    .setConnectionMinimumIdleSize(2)
                    .setConnectionPoolSize(16)
                    .setNameMapper(nameMapper(redis.keyPrefix()));
            case SENTINEL -> config.useSentinelServers()
                    .setMasterName(redis.sentinelMaster())
                    .addSentinelAddress(addresses)
                    .setDatabase(redis.database())
                    .setNameMapper(nameMapper(redis.keyPrefix()));
            case CLUSTER -> config.useClusterServers()
                    .addNodeAddress(addresses)
                    .setNameMapper(nameMapper(redis.keyPrefix()));
        };
        int timeout = (int) redis.timeout().toMillis();
        common.setTimeout(timeout)
                .setConnectTimeout(timeout)
                .setRetryAttempts(1)
                .setPingConnectionInterval(5_000)
                .setClientName("reistech");
        if (!redis.password().isEmpty()) {
            common.setPassword(redis.password());
        }
        return Redisson.create(config);
    }

    /** Shuts the client down and waits for its Netty threads, so an undeploy leaves none running. */
    public static void shutdown(RedissonClient client, Duration timeout) {
        client.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Clears Netty's per-thread state from the calling thread. Called at the end of every request:
     * Tomcat's pooled worker threads outlive the webapp, and Netty state left on them pins its class
     * loader after an undeploy.
     */
    public static void releaseThreadState() {
        FastThreadLocal.removeAll();
    }

    static NameMapper nameMapper(String prefix) {
        if (prefix.isEmpty()) {
            return NameMapper.direct();
        }
        String head = prefix + ":";
        return new NameMapper() {
            @Override
            public String map(String name) {
                return head + name;
            }

            @Override
            public String unmap(String name) {
                return name.startsWith(head) ? name.substring(head.length()) : name;
            }
        };
    }
}
