package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.it.ApiClient.Reply;
import br.com.reistech.web.DiagnosticsResource;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cache on one node: TTL per kind, wiring of the read paths, invalidation after commit only, admin scope. */
@ExtendWith(Environment.Extension.class)
class CacheIT {

    @Test
    void everyKindIsStoredWithItsTtlAndJitter(Environment env) throws Exception {
        ApiClient api = env.api();
        for (CacheKind kind : CacheKind.values()) {
            String key = "ttl-" + UUID.randomUUID();
            assertThat(api.call("POST", "/api/diagnostics/cache/" + kind.segment() + "/" + key, null, null).status())
                    .isEqualTo(200);
            long ttl = env.redisTtl(CacheService.name(kind, DiagnosticsResource.WORKSPACE, key));
            long expected = kind.defaultTtl().toMillis();
            assertThat(ttl).as(kind + " TTL").isBetween((long) (expected * 0.9) - 2_000, (long) (expected * 1.1));
        }
    }

    @Test
    void theReadPathsOfTheDomainGoThroughTheCache(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        UUID workspace = store.workspace;
        store.api.call("GET", "/api/workspaces/" + workspace, store.platform, null);
        store.api.call("GET", "/api/cms/texts", store.admin, null);
        store.api.call("GET", "/api/queue", store.admin, null);
        store.api.call("GET", "/api/conversations?status=ACTIVE", store.admin, null);
        Reply item = store.api.call("POST", "/api/catalog/items", store.admin, JSON.createObjectNode().put("sku", "CAPA-01")
                .put("name", "Capa de silicone").put("price", 49.9).put("stock", 3));
        assertThat(item.status()).isEqualTo(201);
        store.api.call("GET", "/api/catalog/items/" + item.text("id"), store.admin, null);
        // Read again at the check: the settings written while connecting the store are evicted a second
        // time a second later (CacheService's late eviction), which may fall after the first read.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            store.api.call("GET", "/api/workspaces/" + workspace, store.platform, null);
            assertThat(env.redisTtl(CacheService.name(CacheKind.WORKSPACE_CONFIG, workspace, "config"))).isPositive();
        });
        assertThat(env.redisTtl(CacheService.name(CacheKind.CMS_TEXT, workspace, "all"))).isPositive();
        assertThat(env.redisTtl(CacheService.name(CacheKind.HUMAN_QUEUE, workspace, "queue"))).isPositive();
        assertThat(env.redisTtl(CacheService.name(CacheKind.ACTIVE_CONVERSATIONS, workspace, "active"))).isPositive();
        assertThat(env.redisTtl(CacheService.name(CacheKind.CATALOG_ITEM, workspace, "item:" + item.text("id")))).isPositive();

        // A change drops its key once committed, and the next read sees it.
        assertThat(store.api.call("PUT", "/api/catalog/items/" + item.text("id"), store.admin, JSON.createObjectNode()
                .put("sku", "CAPA-01").put("name", "Capa de silicone azul").put("price", 49.9).put("stock", 3)).status())
                .isEqualTo(200);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CATALOG_ITEM, workspace, "item:" + item.text("id")))).isEqualTo(-2);
        assertThat(store.api.call("GET", "/api/catalog/items/" + item.text("id"), store.admin, null).text("name"))
                .isEqualTo("Capa de silicone azul");
        // The first page is cached as the JSON the API answers, and dropped by a change like the item.
        String page = "page:name:0:20";
        Reply first = store.api.call("GET", "/api/catalog/items?sort=name", store.admin, null);
        assertThat(first.body().at("/items/0/name").asText()).isEqualTo("Capa de silicone azul");
        assertThat(first.body().at("/total").asLong()).isEqualTo(1);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CATALOG_ITEM, workspace, page))).isPositive();
        // What another node would read: the same JSON, kept in Redis as a JSON string of its bytes.
        String stored = env.redisString(CacheService.name(CacheKind.CATALOG_ITEM, workspace, page)).get();
        assertThat(JSON.readTree(JSON.readTree(stored).binaryValue())).isEqualTo(first.body());
        assertThat(store.api.call("GET", "/api/catalog/items?sort=name", store.admin, null).body()).isEqualTo(first.body());
        assertThat(store.api.call("PUT", "/api/catalog/items/" + item.text("id"), store.admin, JSON.createObjectNode()
                .put("sku", "CAPA-01").put("name", "Capa de silicone verde").put("price", 49.9).put("stock", 3)).status())
                .isEqualTo(200);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CATALOG_ITEM, workspace, page))).isEqualTo(-2);
        Reply changed = store.api.call("GET", "/api/catalog/items?sort=name", store.admin, null);
        assertThat(changed.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(changed.body().at("/items/0/name").asText()).isEqualTo("Capa de silicone verde");
        // A missing id is cached briefly as missing, and still answers 404.
        String missing = UUID.randomUUID().toString();
        assertThat(store.api.call("GET", "/api/catalog/items/" + missing, store.admin, null).status()).isEqualTo(404);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CATALOG_ITEM, workspace, "item:" + missing))).isBetween(1L, 10_000L);
        assertThat(store.api.call("GET", "/api/catalog/items/" + missing, store.admin, null).status()).isEqualTo(404);
    }

    @Test
    void aValueStoredBackAfterAChangeIsEvictedOnceMoreAndQuickChangesShareThatEviction(Environment env) throws Exception {
        // customer_state: a kind nothing else in the application touches, so its delete count is this test's.
        ApiClient api = env.api();
        String platform = env.platformToken(); // one login: each costs a bcrypt, too slow to repeat per poll
        String key = "late-" + UUID.randomUUID();
        String name = CacheService.name(CacheKind.CUSTOMER_STATE, DiagnosticsResource.WORKSPACE, key);
        long before = deletes(api, platform, "customer_state");
        // Two changes of one key in quick succession (well within the second of the late eviction).
        for (int i = 0; i < 2; i++) {
            assertThat(api.call("POST", "/api/diagnostics/cache/customer_state/" + key + "/invalidate", null, null)
                    .status()).isEqualTo(204);
        }
        // A load elsewhere that read the value before the last change stores it back after its eviction.
        env.redisString(name).set("\"stale\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> env.redisTtl(name) == -2);
        // Two evictions at once and one late one, and no more after it (one late eviction each would be four).
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> deletes(api, platform, "customer_state") - before == 3);
    }

    private static long deletes(ApiClient api, String platform, String kind) throws Exception {
        return api.call("GET", "/api/admin/cache/metrics", platform, null).body()
                .at("/kinds/" + kind + "/deletes").asLong();
    }

    @Test
    void invalidationHappensOnCommitAndNeverOnRollback(Environment env) throws Exception {
        ApiClient api = env.api();
        String key = "rollback-" + UUID.randomUUID();
        String name = CacheService.name(CacheKind.CMS_TEXT, DiagnosticsResource.WORKSPACE, key);
        String first = api.call("POST", "/api/diagnostics/cache/cms_text/" + key, null, null).text("value");
        assertThat(env.redisTtl(name)).isPositive();

        assertThat(api.call("POST", "/api/diagnostics/cache/cms_text/" + key + "/invalidate?rollback=true", null, null)
                .status()).isEqualTo(409);
        assertThat(env.redisTtl(name)).isPositive();
        assertThat(api.call("POST", "/api/diagnostics/cache/cms_text/" + key, null, null).text("value")).isEqualTo(first);

        assertThat(api.call("POST", "/api/diagnostics/cache/cms_text/" + key + "/invalidate?rollback=false", null, null)
                .status()).isEqualTo(204);
        assertThat(env.redisTtl(name)).isEqualTo(-2);
        assertThat(api.call("POST", "/api/diagnostics/cache/cms_text/" + key, null, null).text("value")).isNotEqualTo(first);
        assertThat(api.call("GET", "/api/diagnostics/cache/cms_text/" + key + "/loads", null, null).body().path("loads").asInt())
                .isEqualTo(2);
    }

    @Test
    void manualInvalidationOfAWorkspaceLeavesOtherWorkspacesAndAdminsStayInTheirOwn(Environment env) throws Exception {
        ConnectedWorkspace a = new ConnectedWorkspace(env, 5);
        ConnectedWorkspace b = new ConnectedWorkspace(env, 5);
        for (ConnectedWorkspace store : new ConnectedWorkspace[] {a, b}) {
            store.api.call("GET", "/api/workspaces/" + store.workspace, store.platform, null);
            store.api.call("GET", "/api/cms/texts", store.admin, null);
            store.api.call("GET", "/api/queue", store.admin, null);
        }
        Reply refused = b.api.call("POST", "/api/admin/cache/invalidate", b.admin,
                JSON.createObjectNode().put("workspace_id", a.workspace.toString()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CMS_TEXT, a.workspace, "all"))).isPositive();

        // b's survivor is its queue key: nothing in the setup writes the queue, whereas the settings
        // written while connecting b get a late second eviction that may land during the test.
        Reply done = a.api.call("POST", "/api/admin/cache/invalidate", a.platform,
                JSON.createObjectNode().put("workspaceId", a.workspace.toString()));
        assertThat(done.status()).isEqualTo(200);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CMS_TEXT, a.workspace, "all"))).isEqualTo(-2);
        assertThat(env.redisTtl(CacheService.name(CacheKind.WORKSPACE_CONFIG, a.workspace, "config"))).isEqualTo(-2);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CMS_TEXT, b.workspace, "all"))).isPositive();
        assertThat(env.redisTtl(CacheService.name(CacheKind.HUMAN_QUEUE, b.workspace, "queue"))).isPositive();

        // A workspace administrator's request without a workspace means its own; a key needs its kind.
        assertThat(b.api.call("POST", "/api/admin/cache/invalidate", b.admin,
                JSON.createObjectNode().put("kind", "cms_text")).status()).isEqualTo(200);
        assertThat(env.redisTtl(CacheService.name(CacheKind.CMS_TEXT, b.workspace, "all"))).isEqualTo(-2);
        assertThat(env.redisTtl(CacheService.name(CacheKind.HUMAN_QUEUE, b.workspace, "queue"))).isPositive();
        Reply keyWithoutKind = b.api.call("POST", "/api/admin/cache/invalidate", b.admin, JSON.createObjectNode().put("key", "config"));
        assertThat(keyWithoutKind.status()).isEqualTo(400);
        assertThat(b.api.call("POST", "/api/admin/cache/invalidate", b.admin, JSON.createObjectNode().put("kind", "nope"))
                .status()).isEqualTo(400);

        Reply metrics = a.api.call("GET", "/api/admin/cache/metrics", a.platform, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body().at("/kinds/cms_text/hits").asLong() + metrics.body().at("/kinds/cms_text/misses").asLong())
                .isPositive();
        assertThat(metrics.body().path("breaker").asText()).isEqualTo("CLOSED");
        assertThat(env.tomcat.jmx("br.com.reistech:type=Cache,context=ROOT", "BreakerState")).isEqualTo("CLOSED");
    }
}
