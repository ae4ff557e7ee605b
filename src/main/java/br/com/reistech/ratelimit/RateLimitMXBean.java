package br.com.reistech.ratelimit;

import java.util.Map;

/** JMX operations of the rate limiter ({@code br.com.reistech:type=RateLimiter}); each change is audited. */
public interface RateLimitMXBean {

    /** "redis" or "local". */
    String getMode();

    /** Requests this node admitted on leased tokens, without a Redis call (see the rate-limit docs). */
    long getLeasedDecisions();

    /** Policy name to {@code limit/windowSeconds/banAfter}. */
    Map<String, String> getPolicies();

    void setPolicy(String name, String limitWindowBanAfter);

    /** Clears an address's counters, violations and ban. */
    void clear(String ip);

    void ban(String ip, long minutes, String reason);

    void unban(String ip);

    void deny(String cidr, String reason);

    void undeny(String cidr);

    void allow(String cidr, String reason);

    void unallow(String cidr);
}
