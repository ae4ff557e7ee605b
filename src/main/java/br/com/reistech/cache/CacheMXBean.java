package br.com.reistech.cache;

import java.util.Map;

/** JMX view and operations of the cache ({@code br.com.reistech:type=Cache}). */
public interface CacheMXBean {

    double getHitRate();

    /** CLOSED, OPEN or HALF_OPEN. */
    String getBreakerState();

    /** Every figure, per kind ({@code cms_text.hits}...) and in total ({@code total.hits}...). */
    Map<String, Long> getCounters();

    void invalidateAll();

    void invalidateWorkspace(String workspaceId);

    /** {@code workspaceId} may be empty: the kind in every workspace. */
    void invalidateKind(String kind, String workspaceId);

    void invalidateKey(String kind, String workspaceId, String key);

    /** Warms the cache; answers how far it got. */
    String warmNow();
}
