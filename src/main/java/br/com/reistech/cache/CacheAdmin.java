package br.com.reistech.cache;

import br.com.reistech.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The cache's operations as administrators reach them, over REST and JMX. */
@ApplicationScoped
public class CacheAdmin implements CacheMXBean {

    private final CacheService cache;
    private final CacheWarmer warmer;
    private final AppConfig config;

    @Inject
    public CacheAdmin(CacheService cache, CacheWarmer warmer, AppConfig config) {
        this.cache = cache;
        this.warmer = warmer;
        this.config = config;
    }

    /**
     * Drops what the scope names: a key (kind and workspace required), a kind (in one workspace or
     * all), a workspace, or everything. Returns the scope as understood.
     */
    public Map<String, Object> invalidate(UUID workspaceId, CacheKind kind, String key) {
        if (key != null) {
            if (kind == null || workspaceId == null) {
                throw new IllegalArgumentException("a key needs its kind and workspace");
            }
            cache.invalidate(kind, workspaceId, key);
        } else if (kind != null) {
            cache.invalidateKind(kind, workspaceId);
        } else if (workspaceId != null) {
            cache.invalidateWorkspace(workspaceId);
        } else {
            cache.invalidateAll();
        }
        Map<String, Object> scope = new TreeMap<>();
        scope.put("workspaceId", workspaceId == null ? "*" : workspaceId.toString());
        scope.put("kind", kind == null ? "*" : kind.segment());
        scope.put("key", key == null ? "*" : key);
        return scope;
    }

    public Map<String, Object> warm() {
        return warmer.warm(config.cache().warmBudget());
    }

    /** A kind from its name in any case ({@code cms_text}, {@code CMS_TEXT}). */
    public static CacheKind kind(String name) {
        return CacheKind.valueOf(name.strip().toUpperCase(Locale.ROOT));
    }

    @Override
    public double getHitRate() {
        return cache.hitRate();
    }

    @Override
    public String getBreakerState() {
        return String.valueOf(cache.metrics().get("breaker"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Long> getCounters() {
        Map<String, Long> counters = new TreeMap<>();
        Map<String, Object> report = cache.metrics();
        flatten("total", (Map<String, Object>) report.get("total"), counters);
        ((Map<String, Object>) report.get("kinds")).forEach((kind, figures) ->
                flatten(kind, (Map<String, Object>) figures, counters));
        return counters;
    }

    private static void flatten(String prefix, Map<String, Object> figures, Map<String, Long> into) {
        figures.forEach((name, value) -> {
            if (value instanceof Long number) {
                into.put(prefix + "." + name, number);
            }
        });
    }

    @Override
    public void invalidateAll() {
        invalidate(null, null, null);
    }

    @Override
    public void invalidateWorkspace(String workspaceId) {
        invalidate(UUID.fromString(workspaceId.strip()), null, null);
    }

    @Override
    public void invalidateKind(String kind, String workspaceId) {
        invalidate(workspaceId == null || workspaceId.isBlank() ? null : UUID.fromString(workspaceId.strip()), kind(kind), null);
    }

    @Override
    public void invalidateKey(String kind, String workspaceId, String key) {
        invalidate(UUID.fromString(workspaceId.strip()), kind(kind), key);
    }

    @Override
    public String warmNow() {
        return warm().toString();
    }
}
