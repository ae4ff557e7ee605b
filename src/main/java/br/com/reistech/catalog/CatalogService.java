package br.com.reistech.catalog;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.web.Page;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The catalog of each workspace. Search matches every word of {@code q} in the sku, name or
 * description (case-insensitive; {@code %} and {@code _} are literal), with a typed sort.
 */
@ApplicationScoped
public class CatalogService {

    private static final String COLUMNS = "id, sku, name, description, price, stock, active, updated_at";

    private final Transactions transactions;
    private final AuditService audit;
    private final CacheService cache;
    private final ObjectMapper json;

    @Inject
    public CatalogService(Transactions transactions, AuditService audit, CacheService cache, ObjectMapper json) {
        this.transactions = transactions;
        this.audit = audit;
        this.cache = cache;
        this.json = json;
    }

    /**
     * A page of the catalog as the API answers it, in JSON. Pages without a search text are cached
     * in that form (searches are too varied to be worth it), so a hot read costs neither a query nor
     * a serialization. The bytes are shared: callers must not modify them.
     */
    public byte[] pageJson(UUID workspaceId, String q, CatalogSort sort, int page, int size) {
        if (q == null || q.isBlank()) {
            return cache.getOrSet(CacheKind.CATALOG_ITEM, workspaceId, pageKey(sort, page, size),
                    byte[].class, () -> toJson(load(workspaceId, null, false, sort, page, size)));
        }
        return toJson(load(workspaceId, q, false, sort, page, size));
    }

    /** The cache key of a page without a search text. */
    private static String pageKey(CatalogSort sort, int page, int size) {
        return "page:" + (sort.descending() ? "-" : "") + sort.column() + ":" + page + ":" + size;
    }

    /** Items matching {@code q}, uncached: the bot's search for a customer. */
    public Page<CatalogItemView> search(UUID workspaceId, String q, boolean activeOnly, CatalogSort sort, int page, int size) {
        return load(workspaceId, q, activeOnly, sort, page, size);
    }

    private byte[] toJson(Page<CatalogItemView> page) {
        try {
            return json.writeValueAsBytes(page);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("A catalog page could not be written as JSON", impossible);
        }
    }

    @SuppressWarnings("unchecked")
    private Page<CatalogItemView> load(UUID workspaceId, String q, boolean activeOnly, CatalogSort sort, int page, int size) {
        List<String> words = q == null ? List.of() : List.of(q.strip().toLowerCase().split("\\s+")).stream()
                .filter(w -> !w.isEmpty()).limit(8).toList();
        StringBuilder where = new StringBuilder("where workspace_id = ?1");
        if (activeOnly) {
            where.append(" and active");
        }
        for (int i = 0; i < words.size(); i++) {
            int p = i + 2;
            where.append(" and (lower(sku) like ?").append(p).append(" escape '\\' or lower(name) like ?").append(p)
                    .append(" escape '\\' or lower(description) like ?").append(p).append(" escape '\\')");
        }
        return transactions.read(() -> {
            Query select = transactions.entityManager().createNativeQuery("select " + COLUMNS + " from catalog_item "
                    + where + " order by " + sort.orderBy(), Tuple.class);
            Query count = transactions.entityManager().createNativeQuery("select count(*) from catalog_item " + where);
            bind(select, workspaceId, words);
            bind(count, workspaceId, words);
            List<Tuple> rows = select.setFirstResult(page * size).setMaxResults(size).getResultList();
            return new Page<>(rows.stream().map(CatalogService::view).toList(), page, size,
                    ((Number) count.getSingleResult()).longValue());
        });
    }

    public CatalogItemView get(UUID workspaceId, UUID id) {
        CatalogItemView item = cache.getOrSet(CacheKind.CATALOG_ITEM, workspaceId, "item:" + id, CatalogItemView.class,
                () -> transactions.read(() -> findOrNull(workspaceId, id)));
        if (item == null) {
            throw notFound();
        }
        return item;
    }

    public CatalogItemView create(CurrentUser actor, CatalogItemRequest request) {
        return transactions.write(() -> {
            requireFreeSku(actor.workspaceId(), request.sku(), null);
            UUID id = UUID.randomUUID();
            transactions.entityManager().createNativeQuery("""
                            insert into catalog_item (id, workspace_id, sku, name, description, price, stock, active)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                    .setParameter(1, id).setParameter(2, actor.workspaceId()).setParameter(3, request.sku())
                    .setParameter(4, request.name().strip())
                    .setParameter(5, request.description() == null ? "" : request.description().strip())
                    .setParameter(6, request.price()).setParameter(7, request.stock())
                    .setParameter(8, request.active() == null || request.active()).executeUpdate();
            audit.record("catalog.item-created", Outcome.SUCCESS, actor.workspaceId(), actor.userId(), request.sku(), Map.of());
            cache.invalidateKind(CacheKind.CATALOG_ITEM, actor.workspaceId());
            return find(actor.workspaceId(), id);
        });
    }

    public CatalogItemView update(CurrentUser actor, UUID id, CatalogItemRequest request) {
        return transactions.write(() -> {
            find(actor.workspaceId(), id);
            requireFreeSku(actor.workspaceId(), request.sku(), id);
            transactions.entityManager().createNativeQuery("""
                            update catalog_item set sku = ?3, name = ?4, description = ?5, price = ?6, stock = ?7,
                                   active = ?8, updated_at = now()
                            where workspace_id = ?1 and id = ?2""")
                    .setParameter(1, actor.workspaceId()).setParameter(2, id).setParameter(3, request.sku())
                    .setParameter(4, request.name().strip())
                    .setParameter(5, request.description() == null ? "" : request.description().strip())
                    .setParameter(6, request.price()).setParameter(7, request.stock())
                    .setParameter(8, request.active() == null || request.active()).executeUpdate();
            audit.record("catalog.item-changed", Outcome.SUCCESS, actor.workspaceId(), actor.userId(), request.sku(), Map.of());
            cache.invalidateKind(CacheKind.CATALOG_ITEM, actor.workspaceId());
            return find(actor.workspaceId(), id);
        });
    }

    public void delete(CurrentUser actor, UUID id) {
        transactions.write(() -> {
            CatalogItemView item = find(actor.workspaceId(), id);
            transactions.entityManager().createNativeQuery("delete from catalog_item where workspace_id = ?1 and id = ?2")
                    .setParameter(1, actor.workspaceId()).setParameter(2, id).executeUpdate();
            audit.record("catalog.item-deleted", Outcome.SUCCESS, actor.workspaceId(), actor.userId(), item.sku(), Map.of());
            cache.invalidateKind(CacheKind.CATALOG_ITEM, actor.workspaceId());
            return null;
        });
    }

    private CatalogItemView find(UUID workspaceId, UUID id) {
        CatalogItemView item = findOrNull(workspaceId, id);
        if (item == null) {
            throw notFound();
        }
        return item;
    }

    @SuppressWarnings("unchecked")
    private CatalogItemView findOrNull(UUID workspaceId, UUID id) {
        List<Tuple> rows = transactions.entityManager()
                .createNativeQuery("select " + COLUMNS + " from catalog_item where workspace_id = ?1 and id = ?2", Tuple.class)
                .setParameter(1, workspaceId).setParameter(2, id).getResultList();
        return rows.stream().findFirst().map(CatalogService::view).orElse(null);
    }

    private static ApiException notFound() {
        return new ApiException(ProblemType.NOT_FOUND, "No such catalog item");
    }

    private void requireFreeSku(UUID workspaceId, String sku, UUID self) {
        boolean taken = !transactions.entityManager().createNativeQuery(
                        "select 1 from catalog_item where workspace_id = ?1 and sku = ?2 and id is distinct from ?3")
                .setParameter(1, workspaceId).setParameter(2, sku).setParameter(3, self).getResultList().isEmpty();
        if (taken) {
            throw new ApiException(ProblemType.CONFLICT, "An item with this SKU already exists",
                    List.of(new Problem.Violation("sku", "body", "already in use")));
        }
    }

    private static void bind(Query query, UUID workspaceId, List<String> words) {
        query.setParameter(1, workspaceId);
        for (int i = 0; i < words.size(); i++) {
            String literal = words.get(i).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            query.setParameter(i + 2, "%" + literal + "%");
        }
    }

    private static CatalogItemView view(Tuple t) {
        return new CatalogItemView(t.get(0, UUID.class), t.get(1, String.class), t.get(2, String.class),
                t.get(3, String.class), t.get(4, BigDecimal.class), ((Number) t.get(5)).intValue(),
                t.get(6, Boolean.class), t.get(7, Instant.class));
    }
}
