package br.com.reistech.health;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heap, non-heap and system memory. Degraded when the live data found by the last collection of the
 * old generation exceeds {@code HEALTH_HEAP_MAX_PERCENT} of that generation's maximum: live data, not
 * garbage waiting for the next collection, which is why the plain "used" figure is not the one judged.
 * The old generation is judged against its own maximum because the parallel collector (setenv.sh's
 * default) keeps it to about two thirds of the heap, and records its live data only at a full
 * collection, which is when it fills. A collector without an old generation (ZGC) is judged on the
 * whole heap after its last collection. Not critical.
 */
public final class MemoryCheck implements HealthCheck {

    private static final long MB = 1024 * 1024;
    private final int maxPercent;

    public MemoryCheck(int maxPercent) {
        this.maxPercent = maxPercent;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long afterGc = 0;
        long oldAfterGc = 0;
        long oldMax = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            afterGc += collected == null ? 0 : collected.getUsed();
            if (collected != null && isOldGeneration(pool.getName())) {
                oldAfterGc = collected.getUsed();
                oldMax = pool.getUsage().getMax();
            }
        }
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long percent = oldMax > 0 ? percent(oldAfterGc, oldMax) : percent(afterGc, max);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("heapUsedMb", heap.getUsed() / MB);
        figures.put("heapAfterGcMb", afterGc / MB);
        figures.put("heapCommittedMb", heap.getCommitted() / MB);
        figures.put("heapMaxMb", max / MB);
        if (oldMax > 0) {
            figures.put("oldGenAfterGcMb", oldAfterGc / MB);
            figures.put("oldGenMaxMb", oldMax / MB);
        }
        figures.put("heapAfterGcPercent", percent);
        figures.put("heapMaxPercent", maxPercent);
        figures.put("nonHeapUsedMb", nonHeap.getUsed() / MB);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            figures.put("systemTotalMb", os.getTotalMemorySize() / MB);
            figures.put("systemFreeMb", os.getFreeMemorySize() / MB);
        }
        return percent > maxPercent ? Result.degraded(figures) : Result.healthy(figures);
    }

    /** G1's "G1 Old Gen", the parallel collector's "PS Old Gen", the serial one's "Tenured Gen". */
    static boolean isOldGeneration(String poolName) {
        return poolName.endsWith("Old Gen") || poolName.equals("Tenured Gen");
    }

    static long percent(long used, long max) {
        return max <= 0 ? 0 : Math.round(100.0 * used / max);
    }
}
