package br.com.reistech.cache;

import br.com.reistech.catalog.CatalogService;
import br.com.reistech.catalog.CatalogSort;
import br.com.reistech.cms.CmsService;
import br.com.reistech.workspaces.WorkspaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads the hot read-mostly data into the cache: each active workspace's configuration, its texts
 * and the first page of its catalog, as the API and the bot read them. Runs at start-up before
 * {@code /ready} turns 200, within a time budget, and on demand.
 */
@ApplicationScoped
public class CacheWarmer {

    private static final Logger LOG = LogManager.getLogger(CacheWarmer.class);
    private static final int MAX_WORKSPACES = 10_000;

    private final WorkspaceService workspaces;
    private final CmsService cms;
    private final CatalogService catalog;

    @Inject
    public CacheWarmer(WorkspaceService workspaces, CmsService cms, CatalogService catalog) {
        this.workspaces = workspaces;
        this.cms = cms;
        this.catalog = catalog;
    }

    /** Warms as many workspaces as {@code budget} allows; says how far it got. */
    public Map<String, Object> warm(Duration budget) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        int warmed = 0;
        boolean complete = true;
        for (UUID id : workspaces.activeIds(MAX_WORKSPACES)) {
            if (System.nanoTime() - deadline > 0) {
                complete = false;
                break;
            }
            try {
                workspaces.find(id);
                cms.list(id);
                catalog.pageJson(id, null, CatalogSort.parse(null), 0, 20);
                warmed++;
            } catch (RuntimeException failure) {
                LOG.warn("Warming workspace {} failed: {}", id, failure.getMessage());
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.info("Cache warmed for {} workspaces in {} ms{}", warmed, millis, complete ? "" : " (budget spent)");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("workspaces", warmed);
        report.put("millis", millis);
        report.put("complete", complete);
        return report;
    }
}
