package br.com.reistech.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Free space and writability of the folders the application writes to (logs, uploads). Degraded
 * when one has less than {@code HEALTH_DISK_MIN_FREE_MB} free; unhealthy (still not critical: reads
 * go on) when one is missing or not writable.
 */
public final class DiskCheck implements HealthCheck {

    private static final long MB = 1024 * 1024;
    private final Map<String, Path> folders;
    private final long minFreeBytes;

    /** @param folders the folders by the name shown in the report ({@code logs}, {@code uploads}) */
    public DiskCheck(Map<String, Path> folders, long minFreeBytes) {
        this.folders = Map.copyOf(folders);
        this.minFreeBytes = minFreeBytes;
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        Map<String, Object> figures = new LinkedHashMap<>();
        Status status = Status.HEALTHY;
        for (Map.Entry<String, Path> folder : new java.util.TreeMap<>(folders).entrySet()) {
            Map<String, Object> figure = new LinkedHashMap<>();
            Path path = folder.getValue();
            figure.put("path", path.toString());
            try {
                FileStore store = Files.getFileStore(path);
                boolean writable = Files.isWritable(path);
                long free = store.getUsableSpace();
                figure.put("freeMb", free / MB);
                figure.put("totalMb", store.getTotalSpace() / MB);
                figure.put("writable", writable);
                if (!writable) {
                    status = Status.UNHEALTHY;
                } else if (free < minFreeBytes && status == Status.HEALTHY) {
                    status = Status.DEGRADED;
                }
            } catch (IOException missing) {
                figure.put("error", "missing or unreadable");
                status = Status.UNHEALTHY;
            }
            figures.put(folder.getKey(), figure);
        }
        figures.put("minFreeMb", minFreeBytes / MB);
        return new Result(status, figures);
    }
}
