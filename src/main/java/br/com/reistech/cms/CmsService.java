package br.com.reistech.cms;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
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
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private final Transactions transactions;
    private final AuditService audit;

    @Inject
    public CmsService(Transactions transactions, AuditService audit) {
        this.transactions = transactions;
        this.audit = audit;
    }

    /** The workspace's text for {@code key}, else the default, else the key itself. */
    public String text(UUID workspaceId, String key) {
        return stored(workspaceId, key, DEFAULT_LOCALE).orElseGet(() -> DefaultTexts.PT_BR.getOrDefault(key, key));
    }

    /** Every text of the workspace: its own, and the defaults it has not replaced. */
    @SuppressWarnings("unchecked")
    public List<CmsTextView> list(UUID workspaceId) {
        Map<String, CmsTextView> texts = new TreeMap<>();
        DefaultTexts.PT_BR.forEach((key, content) ->
                texts.put(key + "|" + DEFAULT_LOCALE, new CmsTextView(key, DEFAULT_LOCALE, content, false)));
        List<Tuple> rows = transactions.read(() -> transactions.entityManager()
                .createNativeQuery("select key, locale, content from cms_text where workspace_id = ?1", Tuple.class)
                .setParameter(1, workspaceId).getResultList());
        for (Tuple row : rows) {
            String key = row.get(0, String.class);
            String locale = row.get(1, String.class);
            texts.put(key + "|" + locale, new CmsTextView(key, locale, row.get(2, String.class), true));
        }
        return List.copyOf(texts.values());
    }

    public CmsTextView get(UUID workspaceId, String key, String locale) {
        String effective = locale == null ? DEFAULT_LOCALE : locale;
        return stored(workspaceId, key, effective).map(content -> new CmsTextView(key, effective, content, true))
                .or(() -> Optional.ofNullable(DEFAULT_LOCALE.equals(effective) ? DefaultTexts.PT_BR.get(key) : null)
                        .map(content -> new CmsTextView(key, effective, content, false)))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such text"));
    }

    public CmsTextView put(CurrentUser actor, String key, CmsTextRequest request) {
        requireKey(key);
        String locale = request.locale() == null ? DEFAULT_LOCALE : request.locale();
        return transactions.write(() -> {
            transactions.entityManager().createNativeQuery("""
                            insert into cms_text (workspace_id, key, locale, content) values (?1, ?2, ?3, ?4)
                            on conflict (workspace_id, key, locale) do update set content = excluded.content, updated_at = now()""")
                    .setParameter(1, actor.workspaceId()).setParameter(2, key).setParameter(3, locale)
                    .setParameter(4, request.content()).executeUpdate();
            audit.record("cms.text-changed", Outcome.SUCCESS, actor.workspaceId(), actor.userId(), key, Map.of("locale", locale));
            return new CmsTextView(key, locale, request.content(), true);
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
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private Optional<String> stored(UUID workspaceId, String key, String locale) {
        List<String> rows = transactions.read(() -> transactions.entityManager()
                .createNativeQuery("select content from cms_text where workspace_id = ?1 and key = ?2 and locale = ?3")
                .setParameter(1, workspaceId).setParameter(2, key).setParameter(3, locale).getResultList());
        return rows.stream().findFirst();
    }

    private static void requireKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "Keys are 1-100 characters of a-z 0-9 . _ -",
                    List.of(new br.com.reistech.web.problem.Problem.Violation("key", "path", "invalid key")));
        }
    }
}
