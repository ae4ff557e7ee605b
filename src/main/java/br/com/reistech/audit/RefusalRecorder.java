package br.com.reistech.audit;

import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * Records the requests that the filters and the application refused (rate limits, bans, deny list,
 * CORS, sanitization, authentication and permission denials, server errors) in the audit trail:
 * the {@code audit} log and {@code audit_event} rows, which the {@link AuditChain} seals like any other.
 *
 * <p>A flood must not become a flood of writes: refusals are grouped by action, client address
 * and problem type, and written once a second as one row per group, with its count, the first
 * request id and path. At most {@value #MAX_GROUPS} groups are kept per second; refusals past that
 * are only counted, and the count is written as a group of its own.
 */
@ApplicationScoped
public class RefusalRecorder {

    private static final Logger LOG = LogManager.getLogger(RefusalRecorder.class);
    private static final Logger AUDIT = LogManager.getLogger("audit");
    static final int MAX_GROUPS = 200;

    /** What a group shares; workspace and user are known once the token was checked (403s). */
    private record Key(String action, String ip, ProblemType type, String workspace, String user) {
    }

    /** One group; {@code count} changes only inside the map's atomic {@code compute}. */
    private static final class Group {
        final Instant first = Instant.now();
        final String requestId;
        final String method;
        final String path;
        final String detail;
        long count;

        Group(String requestId, String method, String path, String detail, long count) {
            this.requestId = requestId;
            this.method = method;
            this.path = path;
            this.detail = detail;
            this.count = count;
        }
    }

    private final Transactions transactions;
    private final ObjectMapper json;
    private final AtomicLong overflow = new AtomicLong();
    private final ConcurrentHashMap<Key, Group> pending = new ConcurrentHashMap<>();
    private final OwnedThreads threads = new OwnedThreads("reistech-refusals");
    private final ScheduledThreadPoolExecutor writer = new ScheduledThreadPoolExecutor(1, threads);

    @Inject
    public RefusalRecorder(Transactions transactions, ObjectMapper json) {
        this.transactions = transactions;
        this.json = json;
    }

    /** Starts the once-a-second writer; called once by the composition root. */
    public void start() {
        writer.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        threads.stop(10, List.of(writer));
        flushQuietly();
    }

    /**
     * A refused request of the current thread's request context (client address, request id).
     *
     * @param action {@code request.refused} (a filter), {@code request.denied} (401/403 from the
     *        application) or {@code request.failed} (5xx)
     */
    public void refused(String action, String method, String path, ProblemType type, String detail) {
        Key key = new Key(action, ThreadContext.get("clientIp"), type, ThreadContext.get("workspace"),
                ThreadContext.get("user"));
        String requestId = ThreadContext.get("requestId");
        // compute is atomic with flush's remove, so no count is lost between the two.
        pending.compute(key, (k, group) -> {
            if (group != null) {
                group.count++;
                return group;
            }
            if (pending.size() >= MAX_GROUPS) {
                overflow.incrementAndGet();
                return null;
            }
            return new Group(requestId, method, truncate(path, 200), truncate(detail, 300), 1);
        });
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException failure) {
            LOG.warn("Refused requests not written to the audit trail", failure);
        }
    }

    /** Writes the groups gathered since the last call, in one transaction; returns how many. */
    int flush() {
        Map<Key, Group> groups = new LinkedHashMap<>();
        for (Key key : pending.keySet()) {
            Group group = pending.remove(key);
            if (group != null) {
                groups.put(key, group);
            }
        }
        long lost = overflow.getAndSet(0);
        if (lost > 0) {
            groups.put(new Key("request.refused", null, null, null, null),
                    new Group(null, null, null, "refusals beyond " + MAX_GROUPS + " groups a second, not itemised", lost));
        }
        if (groups.isEmpty()) {
            return 0;
        }
        List<String> lines = new java.util.ArrayList<>();
        transactions.write(() -> {
            groups.forEach((key, group) -> lines.add(insert(key, group)));
            return null;
        });
        lines.forEach(AUDIT::info);
        return groups.size();
    }

    /** Inserts one group's row; returns its line for the audit log (written once the rows commit). */
    private String insert(Key key, Group group) {
        String problem = key.type() == null ? "various" : key.type().uri().toString().substring(ProblemType.BASE.length());
        Outcome outcome = key.type() != null && key.type().status() >= 500 ? Outcome.FAILURE : Outcome.DENIED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("problem", problem);
        details.put("status", key.type() == null ? null : key.type().status());
        details.put("method", group.method);
        details.put("detail", group.detail);
        details.put("count", group.count);
        details.put("firstAt", group.first.toString());
        transactions.entityManager().createNativeQuery("""
                        insert into audit_event (action, outcome, target, client_ip, request_id, details, workspace_id, actor_id)
                        values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), cast(?7 as uuid), cast(?8 as uuid))""")
                .setParameter(1, key.action())
                .setParameter(2, outcome.name())
                .setParameter(3, group.path)
                .setParameter(4, key.ip())
                .setParameter(5, group.requestId)
                .setParameter(6, toJson(details))
                .setParameter(7, key.workspace())
                .setParameter(8, key.user())
                .executeUpdate();
        return key.action() + " " + outcome + " workspace=" + key.workspace() + " actor=" + key.user() + " ip=" + key.ip()
                + " path=" + group.path + " problem=" + problem + " count=" + group.count;
    }

    private String toJson(Map<String, Object> details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException impossible) {
            return "{}";
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
