package br.com.reistech.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.config.AppConfig;
import br.com.reistech.config.AppConfig.RedisConfig;
import br.com.reistech.it.Environment;
import br.com.reistech.redis.RedisClients;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Outbound pacing held across nodes: two pacers, each with its own Redisson client (two nodes of
 * one installation on the real Redis), keep together to one number's pace and one recipient's
 * interval; without Redis a pacer still paces on its own node.
 */
class PacerIT {

    /** Generous: a pause of the CI machine must not send a call to local pacing. */
    private static final Duration REDIS_WAIT = Duration.ofSeconds(2);

    private final String prefix = "it-pacer-" + UUID.randomUUID();
    private final List<RedissonClient> clients = new ArrayList<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(8);

    @AfterEach
    void close() {
        senders.shutdownNow();
        clients.forEach(client -> RedisClients.shutdown(client, Duration.ofSeconds(5)));
    }

    @Test
    void twoNodesSendingForOneNumberKeepTogetherToItsPace() throws Exception {
        Pacer nodeA = new Pacer(client(Environment.redisPort()), REDIS_WAIT, 10, Duration.ZERO);
        Pacer nodeB = new Pacer(client(Environment.redisPort()), REDIS_WAIT, 10, Duration.ZERO);
        List<Callable<List<Long>>> workers = new ArrayList<>();
        for (int worker = 0; worker < 8; worker++) {
            Pacer node = worker % 2 == 0 ? nodeA : nodeB;
            workers.add(() -> sends(node, "5550100000001", "5511" + Thread.currentThread().getId(), 5));
        }
        List<Long> sent = all(workers);

        assertThat(sent).hasSize(40);
        // 10 a second: 13 intervals are 1.3 s; at least 1 s leaves 300 ms for a send let through late
        // (a loaded machine's wake-up). Unpaced, they would span a few milliseconds.
        for (int i = 0; i + 13 < sent.size(); i++) {
            assertThat(sent.get(i + 13) - sent.get(i)).as("sends %d to %d", i, i + 13).isGreaterThanOrEqualTo(1_000_000_000L);
        }
    }

    @Test
    void twoNodesKeepTheRecipientIntervalBetweenThem() throws Exception {
        Duration interval = Duration.ofMillis(300);
        Pacer nodeA = new Pacer(client(Environment.redisPort()), REDIS_WAIT, 1000, interval);
        Pacer nodeB = new Pacer(client(Environment.redisPort()), REDIS_WAIT, 1000, interval);
        List<Long> sent = all(List.of(() -> sends(nodeA, "5550100000002", "5511999990000", 3),
                () -> sends(nodeB, "5550100000002", "5511999990000", 3)));

        for (int i = 0; i + 1 < sent.size(); i++) {
            assertThat(sent.get(i + 1) - sent.get(i)).as("gap after send %d", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos()); // per node, the gap would be about 0
        }
    }

    @Test
    void aSlotFarAheadOfRedisClockIsIgnoredRatherThanWaitedFor() throws Exception {
        RedissonClient redis = client(Environment.redisPort());
        // What Redis's clock stepping back by 20 s would leave behind (stale beyond 10 s).
        redis.getBucket("whatsapp:pace:{5550100000004}:number", StringCodec.INSTANCE)
                .set(Long.toString((System.currentTimeMillis() + 20_000L) * 1000), Duration.ofMinutes(1));
        Pacer pacer = new Pacer(redis, REDIS_WAIT, 50, Duration.ZERO);

        long started = System.nanoTime();
        sends(pacer, "5550100000004", "5511999990004", 3);
        long took = System.nanoTime() - started;

        assertThat(took).as("three sends at 50 a second, not 20 s").isBetween(30_000_000L, 5_000_000_000L);
    }

    @Test
    void withoutRedisANodeStillPacesOnItsOwn() throws Exception {
        Pacer alone = new Pacer(client(closedPort()), Duration.ofMillis(100), 20, Duration.ZERO);
        sends(alone, "5550100000009", "5511999990009", 5); // five failures open the breaker: no more Redis calls
        List<Long> sent = all(List.of(() -> sends(alone, "5550100000003", "5511999990001", 12),
                () -> sends(alone, "5550100000003", "5511999990002", 12)));

        assertThat(sent).hasSize(24);
        for (int i = 0; i + 22 < sent.size(); i++) {
            // 22 intervals of 50 ms, less 200 ms for late wake-ups; without pacing, about 0
            assertThat(sent.get(i + 22) - sent.get(i)).as("sends %d to %d", i, i + 22).isGreaterThanOrEqualTo(900_000_000L);
        }
    }

    /** The moments (System.nanoTime) at which {@code count} sends were let through, one after another. */
    private static List<Long> sends(Pacer pacer, String number, String recipient, int count) throws InterruptedException {
        List<Long> moments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pacer.await(number, recipient);
            moments.add(System.nanoTime());
        }
        return moments;
    }

    private List<Long> all(List<Callable<List<Long>>> workers) throws Exception {
        List<Long> moments = new ArrayList<>();
        for (Future<List<Long>> done : senders.invokeAll(workers)) {
            moments.addAll(done.get());
        }
        Collections.sort(moments);
        return moments;
    }

    private RedissonClient client(int port) {
        RedissonClient client = RedisClients.create(new RedisConfig(AppConfig.RedisMode.SINGLE,
                List.of(URI.create("redis://127.0.0.1:" + port)), "", "", 0, prefix, REDIS_WAIT));
        clients.add(client);
        return client;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
