package br.com.reistech.health;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heap, non-heap and system memory. Degraded when the heap still in use after the last garbage
 * collection exceeds {@code HEALTH_HEAP_MAX_PERCENT} of the maximum: live data, not garbage waiting
 * for the next collection, which is why the plain "used" figure is not the one judged. Not critical.
 * Under the parallel collector (setenv.sh's default) the old generation's figure is that of its last
 * full collection, as young collections do not collect it: data promoted since counts from the next one.
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
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            afterGc += collected == null ? 0 : collected.getUsed();
        }
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long percent = max == 0 ? 0 : Math.round(100.0 * afterGc / max);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("heapUsedMb", heap.getUsed() / MB);
        figures.put("heapAfterGcMb", afterGc / MB);
        figures.put("heapCommittedMb", heap.getCommitted() / MB);
        figures.put("heapMaxMb", max / MB);
        figures.put("heapAfterGcPercent", percent);
        figures.put("heapMaxPercent", maxPercent);
        figures.put("nonHeapUsedMb", nonHeap.getUsed() / MB);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            figures.put("systemTotalMb", os.getTotalMemorySize() / MB);
            figures.put("systemFreeMb", os.getFreeMemorySize() / MB);
        }
        return percent > maxPercent ? Result.degraded(figures) : Result.healthy(figures);
    }
}
