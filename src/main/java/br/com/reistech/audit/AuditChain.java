package br.com.reistech.audit;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.config.AppConfig;
import br.com.reistech.persistence.Transactions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Seals the audit trail into a hash chain and verifies it. Every second one node (a PostgreSQL
 * advisory lock) takes the rows not sealed yet, in id order, and gives each the next chain position
 * ({@code seal_seq}), the previous sealed row's HMAC and its own HMAC-SHA256 over both. The key is
 * derived from {@code WHATSAPP_SECRETS_KEY} (domain-separated), so it is never in the database.
 * {@link #verify()} recomputes the chain and reports the first row where it breaks: an edited row
 * fails its own HMAC, a deleted one breaks its successor's link.
 *
 * <p>The newest link (chain position and HMAC) is also kept outside the database, as a witness: in
 * Redis ({@value #WITNESS_KEY}, only ever moved forward) and in the {@code audit} log. So deleting the
 * newest rows, or unsealing rows to have them sealed again after an edit, no longer matches the
 * witness: verify reports it, and the sealer stops extending a chain that does not match (an error
 * in the log every round) so the evidence stays. Without Redis, sealing goes on without a witness.
 */
@ApplicationScoped
public class AuditChain {

    private static final Logger LOG = LogManager.getLogger(AuditChain.class);
    private static final long LOCK = 0x5E1A_A0D1L;
    private static final String GENESIS = "0".repeat(64);
    static final String WITNESS_KEY = "audit:chain-head";
    /** Moves the witness forward only: a node sealing late never writes an older head over a newer one. */
    private static final String ADVANCE = """
            local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
            if tonumber(ARGV[1]) > seq then
              redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'hmac', ARGV[2])
            end
            return 1""";
    private static final Logger AUDIT = LogManager.getLogger("audit");
    private static final String CONTENT = """
            id, (extract(epoch from occurred_at) * 1000000)::bigint, workspace_id::text, actor_id::text, action, outcome,
            target, client_ip, request_id, details::text""";

    private final Transactions transactions;
    private final ObjectMapper json;
    private final RedissonClient redis;
    private final byte[] key;
    private final OwnedThreads threads = new OwnedThreads("reistech-audit");
    private final ScheduledThreadPoolExecutor sealer = new ScheduledThreadPoolExecutor(1, threads);

    @Inject
    public AuditChain(Transactions transactions, ObjectMapper json, RedissonClient redis, AppConfig config) {
        this.transactions = transactions;
        this.json = json;
        this.redis = redis;
        this.key = hmac(config.whatsapp().secretsKey(), "reistech audit chain v1".getBytes(StandardCharsets.UTF_8));
    }

    /** Starts sealing; called once by the composition root. */
    public void start() {
        sealer.scheduleWithFixedDelay(this::sealQuietly, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        threads.stop(10, List.of(sealer));
    }

    private void sealQuietly() {
        try {
            seal();
        } catch (RuntimeException failure) {
            LOG.warn("Audit sealing failed; the next round retries", failure);
        }
    }

    /** A chain position and its HMAC. */
    record Head(long seq, String hmac) {
    }

    /** Seals what is unsealed (up to 1000 rows); returns whether it sealed any. */
    @SuppressWarnings("unchecked")
    boolean seal() {
        Head witness = witness();
        Head sealed = transactions.write(() -> {
            var em = transactions.entityManager();
            if (!(Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, LOCK)
                    .getSingleResult()) {
                return null;
            }
            List<Tuple> head = em.createNativeQuery(
                    "select seal_seq, hmac from audit_event where seal_seq is not null order by seal_seq desc limit 1",
                    Tuple.class).getResultList();
            long seq = head.isEmpty() ? 0 : ((Number) head.get(0).get(0)).longValue();
            String previous = head.isEmpty() ? GENESIS : head.get(0).get(1, String.class);
            String tampering = tampering(witness, seq);
            if (tampering != null) {
                LOG.error("Audit chain not extended: {}. Run verify and investigate before anything else.", tampering);
                return null;
            }
            List<Tuple> rows = em.createNativeQuery("select " + CONTENT
                    + " from audit_event where hmac is null order by id limit 1000 for update", Tuple.class).getResultList();
            if (witness == null && seq > 0 && !rows.isEmpty()) {
                LOG.warn("Audit chain witness absent (Redis emptied, restarted without persistence or unreachable);"
                        + " it restarts from chain position {}", seq);
            }
            for (Tuple row : rows) {
                seq++;
                String hmac = mac(previous, row);
                em.createNativeQuery("update audit_event set seal_seq = ?2, prev_hmac = ?3, hmac = ?4 where id = ?1")
                        .setParameter(1, ((Number) row.get(0)).longValue()).setParameter(2, seq)
                        .setParameter(3, previous).setParameter(4, hmac).executeUpdate();
                previous = hmac;
            }
            return rows.isEmpty() ? null : new Head(seq, previous);
        });
        if (sealed == null) {
            return false;
        }
        AUDIT.info("audit.chain-head seq={} hmac={}", sealed.seq(), sealed.hmac());
        try {
            redis.getScript(StringCodec.INSTANCE).eval(WITNESS_KEY, RScript.Mode.READ_WRITE, ADVANCE,
                    RScript.ReturnType.INTEGER, List.of(WITNESS_KEY), Long.toString(sealed.seq()), sealed.hmac());
        } catch (RuntimeException redisAway) {
            LOG.debug("Audit chain witness not moved: {}", redisAway.getMessage());
        }
        return true;
    }

    /** The witnessed head, or null when there is none (new installation, Redis away or emptied). */
    Head witness() {
        try {
            Map<String, String> head = redis.<String, String>getMap(WITNESS_KEY, StringCodec.INSTANCE).readAllMap();
            return head.containsKey("seq") && head.get("hmac") != null
                    ? new Head(Long.parseLong(head.get("seq")), head.get("hmac")) : null;
        } catch (RuntimeException redisAwayOrGarbled) {
            LOG.debug("Audit chain witness not read: {}", redisAwayOrGarbled.getMessage());
            return null;
        }
    }

    /** Why the chain (ending at {@code tipSeq}) disagrees with the witness, or null when it agrees. */
    private String tampering(Head witness, long tipSeq) {
        if (witness == null) {
            return null;
        }
        if (tipSeq < witness.seq()) {
            return "the chain ends at " + tipSeq + " but reached " + witness.seq() + ": its newest rows were deleted";
        }
        List<?> hmac = transactions.entityManager().createNativeQuery("select hmac from audit_event where seal_seq = ?1")
                .setParameter(1, witness.seq()).getResultList();
        if (hmac.isEmpty() || !witness.hmac().equals(hmac.get(0))) {
            return "chain position " + witness.seq() + " no longer holds the sealed row: rows were deleted or sealed again";
        }
        return null;
    }

    /** Recomputes the whole chain: rows checked, rows not sealed yet, and the first broken row if any. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> verify() {
        Head witness = witness();
        return transactions.read(() -> {
            var em = transactions.entityManager();
            String previous = GENESIS;
            long expectedSeq = 1;
            long checked = 0;
            Long broken = null;
            String reason = null;
            long after = 0;
            while (broken == null) {
                List<Tuple> page = em.createNativeQuery("select " + CONTENT + ", seal_seq, prev_hmac, hmac from audit_event"
                        + " where seal_seq > ?1 order by seal_seq limit 5000", Tuple.class)
                        .setParameter(1, after).getResultList();
                if (page.isEmpty()) {
                    break;
                }
                for (Tuple row : page) {
                    long id = ((Number) row.get(0)).longValue();
                    long seq = ((Number) row.get(10)).longValue();
                    if (seq != expectedSeq || !previous.equals(row.get(11, String.class))) {
                        broken = id;
                        reason = "the row before it in the chain was deleted or altered";
                        break;
                    }
                    if (!mac(previous, row).equals(row.get(12, String.class))) {
                        broken = id;
                        reason = "its content does not match its seal";
                        break;
                    }
                    previous = row.get(12, String.class);
                    expectedSeq++;
                    checked++;
                    after = seq;
                }
            }
            Number tip = (Number) em.createNativeQuery("select coalesce(max(seal_seq), 0) from audit_event").getSingleResult();
            String headProblem = tampering(witness, tip.longValue());
            long unsealed = ((Number) em.createNativeQuery("select count(*) from audit_event where hmac is null")
                    .getSingleResult()).longValue();
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("intact", broken == null && headProblem == null);
            report.put("checked", checked);
            report.put("unsealed", unsealed);
            report.put("firstBrokenId", broken);
            report.put("reason", reason);
            report.put("witnessed", witness != null);
            report.put("witnessedSeq", witness == null ? null : witness.seq());
            report.put("headProblem", headProblem);
            return report;
        });
    }

    private String mac(String previous, Tuple row) {
        List<Object> content = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            content.add(row.get(i) == null ? null : row.get(i).toString());
        }
        try {
            byte[] canonical = json.writeValueAsBytes(content);
            byte[] input = Arrays.copyOf(previous.getBytes(StandardCharsets.US_ASCII), 64 + canonical.length);
            System.arraycopy(canonical, 0, input, 64, canonical.length);
            return HexFormat.of().formatHex(hmac(key, input));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static byte[] hmac(byte[] key, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
