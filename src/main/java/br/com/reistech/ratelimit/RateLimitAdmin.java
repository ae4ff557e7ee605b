package br.com.reistech.ratelimit;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.web.ClientAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Run-time administration of the rate limiter, over REST and JMX with the same validation as the
 * configuration, every change audited ({@code actor} null for JMX operators).
 */
@ApplicationScoped
public class RateLimitAdmin implements RateLimitMXBean {

    private final RateLimiter limiter;
    private final AuditService audit;

    @Inject
    public RateLimitAdmin(RateLimiter limiter, AuditService audit) {
        this.limiter = limiter;
        this.audit = audit;
    }

    public void clear(UUID actor, String ip) {
        String subject = Subjects.ip(address(ip));
        limiter.clear(subject);
        record(actor, "rate-limit.cleared", subject, Map.of());
    }

    public void ban(UUID actor, String ip, Duration length, String reason) {
        String subject = Subjects.ip(address(ip));
        limiter.ban(subject, length, "manual: " + reason);
        record(actor, "rate-limit.banned", subject, Map.of("seconds", length.toSeconds(), "reason", reason));
    }

    public boolean unban(UUID actor, String ip) {
        String subject = Subjects.ip(address(ip));
        boolean removed = limiter.unban(subject);
        record(actor, "rate-limit.unbanned", subject, Map.of());
        return removed;
    }

    public Map<String, Map<String, Object>> bans() {
        return limiter.bans();
    }

    public void list(UUID actor, String list, String cidr, String reason, boolean add) {
        Cidr network = Cidr.parse(cidr);
        String name = listName(list);
        if (add) {
            limiter.putList(name, network, reason == null ? "" : reason);
        } else {
            limiter.removeList(name, network);
        }
        record(actor, "rate-limit." + list + (add ? "-added" : "-removed"), network.toString(),
                reason == null ? Map.of() : Map.of("reason", reason));
    }

    public Map<String, List<String>> lists() {
        RateLimiter.Snapshot snapshot = limiter.snapshot();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("deny", snapshot.deny().stream().map(Cidr::toString).toList());
        lists.put("allow", snapshot.allow().stream().map(Cidr::toString).toList());
        return lists;
    }

    /** Replaces a policy's figures (an unknown name or invalid figures: IllegalArgumentException). */
    public Policy setPolicy(UUID actor, String name, String text) {
        if (limiter.policy(name) == null) {
            throw new IllegalArgumentException("no such policy: " + name);
        }
        Policy policy = Policy.parse(name, text);
        limiter.putPolicy(policy);
        record(actor, "rate-limit.policy-changed", name, Map.of("policy", policy.text()));
        return policy;
    }

    private void record(UUID actor, String action, String target, Map<String, ?> details) {
        audit.record(action, Outcome.SUCCESS, null, actor, target, details);
    }

    private static String address(String ip) {
        Cidr single = Cidr.parse(ip);
        if (single.bits() != single.network().length * 8) {
            throw new IllegalArgumentException("must be one address, not a network");
        }
        return ClientAddress.normalize(ip.strip());
    }

    private static String listName(String list) {
        return switch (list) {
            case "deny" -> RateLimiter.DENY;
            case "allow" -> RateLimiter.ALLOW;
            default -> throw new IllegalArgumentException("the list is deny or allow");
        };
    }

    // ---- JMX ----

    @Override
    public String getMode() {
        return limiter.mode();
    }

    @Override
    public long getLeasedDecisions() {
        return limiter.leasedDecisions();
    }

    @Override
    public Map<String, String> getPolicies() {
        Map<String, String> policies = new LinkedHashMap<>();
        limiter.snapshot().policies().forEach((name, policy) -> policies.put(name, policy.text()));
        return policies;
    }

    @Override
    public void setPolicy(String name, String limitWindowBanAfter) {
        setPolicy(null, name, limitWindowBanAfter);
    }

    @Override
    public void clear(String ip) {
        clear(null, ip);
    }

    @Override
    public void ban(String ip, long minutes, String reason) {
        if (minutes < 1 || minutes > 30L * 24 * 60) {
            throw new IllegalArgumentException("minutes must be 1 to 43200");
        }
        ban(null, ip, Duration.ofMinutes(minutes), reason == null ? "" : reason);
    }

    @Override
    public void unban(String ip) {
        unban(null, ip);
    }

    @Override
    public void deny(String cidr, String reason) {
        list(null, "deny", cidr, reason, true);
    }

    @Override
    public void undeny(String cidr) {
        list(null, "deny", cidr, null, false);
    }

    @Override
    public void allow(String cidr, String reason) {
        list(null, "allow", cidr, reason, true);
    }

    @Override
    public void unallow(String cidr) {
        list(null, "allow", cidr, null, false);
    }
}
