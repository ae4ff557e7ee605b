package br.com.reistech.alerts;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.logging.LogMasker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Operator alerts (Slack), one per problem rather than one per symptom. Each condition has a
 * fingerprint ({@code health}, {@code errors}, {@code bans}, {@code whatsapp:<phone number id>});
 * whoever watches it calls {@link #observe} with whether it is failing now.
 * <ol>
 *   <li>The first failing observation opens the alert and announces it, unless the same fingerprint
 *       was announced less than {@code ALERT_REPEAT_SECONDS} ago (then it stays silent, recovery
 *       included).</li>
 *   <li>While open, further failing observations say nothing: deduplicated.</li>
 *   <li>The recovery is announced once the condition has stayed clear for
 *       {@code ALERT_SETTLE_SECONDS}, checked by {@link #tick}: a dependency that flaps gives one
 *       alert and one recovery, not one pair per flap.</li>
 * </ol>
 * Messages go out asynchronously through a bounded queue of {@value #QUEUE} on one thread, never
 * blocking the caller; at most {@value #PER_MINUTE} a minute; what does not fit is dropped and
 * counted. Without a Slack webhook, alerts are logged at WARN to logger {@code alerts} only.
 */
public final class Alerts implements AutoCloseable {

    static final int QUEUE = 100;
    static final int PER_MINUTE = 20;
    private static final Logger LOG = LogManager.getLogger("alerts");

    /** Where announcements go. */
    public interface Sink {
        void post(String text) throws IOException, InterruptedException;
    }

    private record Open(Instant since, boolean announced, String description, Instant clearSince) {
    }

    private final Sink sink;
    private final String origin;
    private final Duration settle;
    private final Duration repeat;
    private final Clock clock;
    private final OwnedThreads threads = new OwnedThreads("alerts");
    private final ExecutorService sender;
    private final Map<String, Open> open = new HashMap<>();
    private final Map<String, Instant> announced = new HashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private Instant minute = Instant.EPOCH;
    private int inMinute;

    /**
     * @param sink where messages go (Slack, or null to log them only)
     * @param origin who speaks, e.g. {@code reistech production @ host01}
     */
    public Alerts(Sink sink, String origin, Duration settle, Duration repeat, Clock clock) {
        this.sink = sink;
        this.origin = origin;
        this.settle = settle;
        this.repeat = repeat;
        this.clock = clock;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), threads,
                (task, executor) -> dropped.incrementAndGet());
    }

    /** Records the current state of {@code fingerprint}; {@code description} says what is wrong. */
    public synchronized void observe(String fingerprint, boolean failing, String description) {
        Instant now = clock.instant();
        Open current = open.get(fingerprint);
        if (failing) {
            if (current == null) {
                Instant last = announced.get(fingerprint);
                boolean announce = last == null || !now.isBefore(last.plus(repeat));
                open.put(fingerprint, new Open(now, announce, description, null));
                if (announce) {
                    announced.put(fingerprint, now);
                    send(":rotating_light: *" + fingerprint + "*: " + description);
                } else {
                    LOG.warn("Alert {} not announced again within the repeat interval: {}", fingerprint, description);
                }
            } else if (current.clearSince() != null) {
                open.put(fingerprint, new Open(current.since(), current.announced(), description, null));
            }
        } else if (current != null && current.clearSince() == null) {
            open.put(fingerprint, new Open(current.since(), current.announced(), current.description(), now));
        }
        resolveSettled(now);
    }

    /** Announces the recoveries that have settled; called periodically by {@link AlertWatch}. */
    public synchronized void tick() {
        resolveSettled(clock.instant());
    }

    private void resolveSettled(Instant now) {
        var settled = open.entrySet().stream()
                .filter(e -> e.getValue().clearSince() != null && !now.isBefore(e.getValue().clearSince().plus(settle)))
                .map(Map.Entry::getKey).toList();
        for (String fingerprint : settled) {
            Open done = open.remove(fingerprint);
            if (done.announced()) {
                send(":white_check_mark: *" + fingerprint + "* recovered after "
                        + Duration.between(done.since(), done.clearSince()).toSeconds() + " s (was: " + done.description() + ")");
            }
        }
    }

    /** Fingerprints of the alerts open now. */
    public synchronized List<String> openAlerts() {
        return open.keySet().stream().sorted().toList();
    }

    public long sent() {
        return sent.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void send(String text) {
        Instant now = clock.instant();
        if (!now.isBefore(minute.plusSeconds(60))) {
            minute = now;
            inMinute = 0;
        }
        if (++inMinute > PER_MINUTE) {
            dropped.incrementAndGet();
            return;
        }
        String message = LogMasker.mask(text) + "\n_" + origin + "_";
        LOG.warn("Alert: {}", message);
        if (sink == null) {
            return;
        }
        sender.execute(() -> {
            try {
                sink.post(message);
                sent.incrementAndGet();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException failure) {
                dropped.incrementAndGet();
                LOG.warn("Alert not delivered to Slack: {}", failure.getMessage());
            }
        });
    }

    /** Stops the sender after giving queued messages up to five seconds. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        threads.stop(5, List.of(sender));
    }
}
