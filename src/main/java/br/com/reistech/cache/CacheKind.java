package br.com.reistech.cache;

import java.time.Duration;
import java.util.Locale;

/**
 * What the cache holds, each kind with its default TTL ({@code CACHE_TTL_<KIND>} in seconds
 * overrides it) and whether it may also live in each node's memory (the near cache: read-mostly
 * data whose changes are announced to every node). Keys are {@code reistech:<kind>:workspace:<id>:<key>}.
 */
public enum CacheKind {
    CUSTOMER_STATE(Duration.ofSeconds(30), false),
    HUMAN_QUEUE(Duration.ofSeconds(10), false),
    ACTIVE_CONVERSATIONS(Duration.ofSeconds(15), false),
    CUSTOMER_DATA(Duration.ofMinutes(5), false),
    CMS_TEXT(Duration.ofMinutes(10), true),
    CATALOG_ITEM(Duration.ofMinutes(15), true),
    WORKSPACE_CONFIG(Duration.ofMinutes(30), true),
    USER_PERMISSIONS(Duration.ofMinutes(15), true);

    private final Duration defaultTtl;
    private final boolean near;

    CacheKind(Duration defaultTtl, boolean near) {
        this.defaultTtl = defaultTtl;
        this.near = near;
    }

    public Duration defaultTtl() {
        return defaultTtl;
    }

    public boolean near() {
        return near;
    }

    /** The kind's segment of a key, e.g. {@code cms_text}. */
    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
