package br.com.reistech.cms;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Tuple;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/** Bot texts per workspace and locale, falling back to the built-in pt-BR texts. */
@ApplicationScoped
public class CmsService {

    public static final String DEFAULT_LOCALE = "pt-BR";
    static final String TEXT = "text";
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private static final TypeReference<List<CmsTextView>> LIST = new TypeReference<>() {
    };

    private final Transactions transactions;
    private final AuditService audit;
    private final CacheService cache;

    @Inject
    public CmsService(Transactions transactions, AuditService audit, CacheService cache) {
        this.transactions = transactions;
        this.audit = audit;
        this.cache = cache;
    }

    /** Key to text in the default locale, the workspace's own over the defaults (one cached read). */
    public Map<String, String> texts(UUID workspaceId) {
        Map<String, String> texts = new java.util.HashMap<>();
        for (CmsTextView text : list(workspaceId)) {
            if (DEFAULT_LOCALE.equals(text.locale())) {
                texts.put(text.key(), text.content());
            }
        }
        return texts;
    }

    /** Every text of the workspace: its own, and the defaults it has not replaced. */
    @SuppressWarnings("unchecked")
    public List<CmsTextView> list(UUID workspaceId) {
        return cache.getOrSet(CacheKind.CMS_TEXT, workspaceId, "all", LIST, () -> load(workspaceId));
    }

    @SuppressWarnings("unchecked")
    private List<CmsTextView> load(UUID workspaceId) {
        Map<String, CmsTextView> texts = new TreeMap<>();
        DefaultTexts.PT_BR.forEach((key, content) ->
                texts.put(key + "|" + DEFAULT_LOCALE, new CmsTextView(key, DEFAULT_LOCALE, content, TEXT, false)));
        List<Tuple> rows = transactions.read(() -> transactions.entityManager()
                .createNativeQuery("select key, locale, content, format from cms_text where workspace_id = ?1", Tuple.class)
                .setParameter(1, workspaceId).getResultList());
        for (Tuple row : rows) {
            String key = row.get(0, String.class);
            String locale = row.get(1, String.class);
            texts.put(key + "|" + locale, new CmsTextView(key, locale, row.get(2, String.class), row.get(3, String.class), true));
        }
        return List.copyOf(texts.values());
    }

    public CmsTextView get(UUID workspaceId, String key, String locale) {
        String effective = locale == null ? DEFAULT_LOCALE : locale;
        return stored(workspaceId, key, effective)
                .or(() -> Optional.ofNullable(DEFAULT_LOCALE.equals(effective) ? DefaultTexts.PT_BR.get(key) : null)
                        .map(content -> new CmsTextView(key, effective, content, TEXT, false)))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such text"));
    }

    public CmsTextView put(CurrentUser actor, String key, CmsTextRequest request) {
        requireKey(key);
        String locale = request.locale() == null ? DEFAULT_LOCALE : request.locale();
        return transactions.write(() -> {
            transactions.entityManager().createNativeQuery("""
                            insert into cms_text (workspace_id, key, locale, content, format) values (?1, ?2, ?3, ?4, ?5)
                            on conflict (workspace_id, key, locale)
                            do update set content = excluded.content, format = excluded.format, updated_at = now()""")
                    .setParameter(1, actor.workspaceId()).setParameter(2, key).setParameter(3, locale)
                    .setParameter(4, request.content()).setParameter(5, request.effectiveFormat()).executeUpdate();
            audit.record("cms.text-changed", Outcome.SUCCESS, actor.workspaceId(), actor.userId(), key, Map.of("locale", locale));
            changed(actor.workspaceId(), key, locale);
            return new CmsTextView(key, locale, request.content(), request.effectiveFormat(), true);
        });
    }

    public void delete(CurrentUser actor, String key, String locale) {
        String effective = locale == null ? DEFAULT_LOCALE : locale;
        transactions.write(() -> {
            int deleted = transactions.entityManager()
                    .createNativeQuery("delete from cms_text where workspace_id = ?1 and key = ?2 and locale = ?3")
                    .setParameter(1, actor.workspaceId()).setParameter(2, key).setParameter(3, effective).executeUpdate();
            if (deleted == 0) {
                throw new ApiException(ProblemType.NOT_FOUND, "No such text");
            }
            audit.record("cms.text-deleted", Outcome.SUCCESS, actor.workspaceId(), actor.userId(), key, Map.of());
            changed(actor.workspaceId(), key, effective);
            return null;
        });
    }

    /** The text and the list change: dropped from the cache on every node once the transaction commits. */
    private void changed(UUID workspaceId, String key, String locale) {
        cache.invalidate(CacheKind.CMS_TEXT, workspaceId, key + ":" + locale);
        cache.invalidate(CacheKind.CMS_TEXT, workspaceId, "all");
    }

    /** The workspace's own text (cached, absent ones too); empty when it has none. */
    @SuppressWarnings("unchecked")
    private Optional<CmsTextView> stored(UUID workspaceId, String key, String locale) {
        return Optional.ofNullable(cache.getOrSet(CacheKind.CMS_TEXT, workspaceId, key + ":" + locale, CmsTextView.class, () -> {
            List<Tuple> rows = transactions.read(() -> transactions.entityManager()
                    .createNativeQuery("select content, format from cms_text where workspace_id = ?1 and key = ?2 and locale = ?3",
                            Tuple.class)
                    .setParameter(1, workspaceId).setParameter(2, key).setParameter(3, locale).getResultList());
            return rows.stream().findFirst()
                    .map(row -> new CmsTextView(key, locale, row.get(0, String.class), row.get(1, String.class), true))
                    .orElse(null);
        }));
    }

    private static void requireKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "Keys are 1-100 characters of a-z 0-9 . _ -",
                    List.of(new br.com.reistech.web.problem.Problem.Violation("key", "path", "invalid key")));
        }
    }
}
