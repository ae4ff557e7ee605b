package br.com.reistech.health;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU use of this process and of the machine, and the one-minute load average. Degraded when the
 * load per core exceeds {@code HEALTH_LOAD_PER_CORE_MAX}: requests are then queueing for CPU. Not
 * critical.
 */
public final class CpuCheck implements HealthCheck {

    private final double loadPerCoreMax;

    public CpuCheck(double loadPerCoreMax) {
        this.loadPerCoreMax = loadPerCoreMax;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        int cores = os.getAvailableProcessors();
        double load = os.getSystemLoadAverage();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("cores", cores);
        figures.put("loadAverage", round(load));
        figures.put("loadPerCoreMax", loadPerCoreMax);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            figures.put("processCpu", round(sun.getProcessCpuLoad()));
            figures.put("systemCpu", round(sun.getCpuLoad()));
        }
        return load >= 0 && load / cores > loadPerCoreMax ? Result.degraded(figures) : Result.healthy(figures);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
