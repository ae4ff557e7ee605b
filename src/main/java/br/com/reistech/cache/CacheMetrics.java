package br.com.reistech.cache;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/** Counters per kind: hits (near and Redis), misses, loads and their time, sets, deletes, errors. */
final class CacheMetrics {

    static final class Counters {
        final LongAdder nearHits = new LongAdder();
        final LongAdder redisHits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder loads = new LongAdder();
        final LongAdder loadNanos = new LongAdder();
        final LongAdder sets = new LongAdder();
        final LongAdder deletes = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder bypassed = new LongAdder();

        Map<String, Object> figures() {
            long hits = nearHits.sum() + redisHits.sum();
            long missed = misses.sum();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("hits", hits);
            figures.put("nearHits", nearHits.sum());
            figures.put("misses", missed);
            figures.put("hitRate", hits + missed == 0 ? 0.0 : Math.round(10_000.0 * hits / (hits + missed)) / 10_000.0);
            figures.put("loads", loads.sum());
            figures.put("loadMillisAvg", loads.sum() == 0 ? 0.0
                    : Math.round(loadNanos.sum() / 1_000.0 / loads.sum()) / 1_000.0);
            figures.put("sets", sets.sum());
            figures.put("deletes", deletes.sum());
            figures.put("errors", errors.sum());
            figures.put("bypassed", bypassed.sum());
            return figures;
        }

        void addTo(Counters total) {
            total.nearHits.add(nearHits.sum());
            total.redisHits.add(redisHits.sum());
            total.misses.add(misses.sum());
            total.loads.add(loads.sum());
            total.loadNanos.add(loadNanos.sum());
            total.sets.add(sets.sum());
            total.deletes.add(deletes.sum());
            total.errors.add(errors.sum());
            total.bypassed.add(bypassed.sum());
        }
    }

    private final Map<CacheKind, Counters> kinds = new EnumMap<>(CacheKind.class);
    /** Deletes and errors of invalidations that span kinds. */
    final Counters global = new Counters();

    CacheMetrics() {
        for (CacheKind kind : CacheKind.values()) {
            kinds.put(kind, new Counters());
        }
    }

    /**
     * Publishes the counters as {@code reistech_cache_requests_total{kind,result}} (near_hit,
     * redis_hit, miss), {@code reistech_cache_loads_total}, {@code reistech_cache_errors_total} and
     * {@code reistech_cache_bypassed_total}, by kind; read from the counters at scrape time.
     */
    void bindTo(MeterRegistry registry) {
        kinds.forEach((kind, counters) -> {
            String name = kind.name().toLowerCase(java.util.Locale.ROOT);
            counter(registry, "reistech.cache.requests", name, counters.nearHits, "result", "near_hit");
            counter(registry, "reistech.cache.requests", name, counters.redisHits, "result", "redis_hit");
            counter(registry, "reistech.cache.requests", name, counters.misses, "result", "miss");
            counter(registry, "reistech.cache.loads", name, counters.loads);
            counter(registry, "reistech.cache.errors", name, counters.errors);
            counter(registry, "reistech.cache.bypassed", name, counters.bypassed);
        });
    }

    private static void counter(MeterRegistry registry, String meter, String kind, LongAdder adder, String... tags) {
        FunctionCounter.builder(meter, adder, LongAdder::sum).tag("kind", kind).tags(tags).register(registry);
    }

    Counters of(CacheKind kind) {
        return kinds.get(kind);
    }

    Counters total() {
        Counters total = new Counters();
        kinds.values().forEach(counters -> counters.addTo(total));
        global.addTo(total);
        return total;
    }

    /** {"total": {...}, "kinds": {"cms_text": {...}, ...}} */
    Map<String, Object> report() {
        Map<String, Object> perKind = new LinkedHashMap<>();
        kinds.forEach((kind, counters) -> perKind.put(kind.segment(), counters.figures()));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("total", total().figures());
        report.put("kinds", perKind);
        return report;
    }
}
