package br.com.reistech.whatsapp;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.config.AppConfig;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.SecretBox;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The WhatsApp phone numbers of each workspace. A phone number id belongs to exactly one workspace:
 * it is how an incoming webhook finds its workspace. Secrets are sealed with {@link SecretBox}.
 */
@ApplicationScoped
public class WhatsAppAccountService {

    private final Transactions transactions;
    private final WhatsAppAccountRepository accounts;
    private final AuditService audit;
    private final SecretBox box;
    private final String defaultVersion;
    private volatile Snapshot snapshot;
    private final Object loading = new Object();
    /** Changes committed on this node: a read that one overtook is not kept as the snapshot. */
    private final AtomicLong changes = new AtomicLong();

    /** Opened accounts, reloaded every {@link #SNAPSHOT_NANOS}, after a change made on this node, or on a miss. */
    private record Snapshot(List<WhatsAppAccount> accounts, long loadedAt) {
    }

    private static final long SNAPSHOT_NANOS = 10_000_000_000L;
    private static final long RELOAD_NANOS = 100_000_000L;

    @Inject
    public WhatsAppAccountService(Transactions transactions, WhatsAppAccountRepository accounts, AuditService audit,
                                  AppConfig config) {
        this.transactions = transactions;
        this.accounts = accounts;
        this.audit = audit;
        this.box = new SecretBox(config.whatsapp().secretsKey());
        this.defaultVersion = config.whatsapp().graphVersion();
    }

    public WhatsAppAccountView connect(CurrentUser actor, WhatsAppAccountRequest request) {
        String version = request.graphVersion() == null ? defaultVersion : request.graphVersion();
        return transactions.write(() -> {
            if (accounts.phoneNumberTaken(request.phoneNumberId())) {
                throw new ApiException(ProblemType.CONFLICT, "This phone number id is already connected",
                        List.of(new Problem.Violation("phoneNumberId", "body", "already connected")));
            }
            var row = new WhatsAppAccountRepository.Row(UUID.randomUUID(), actor.workspaceId(), request.phoneNumberId(),
                    box.seal(request.accessToken()), box.seal(request.appSecret()), box.seal(request.verifyToken()),
                    version, null);
            accounts.add(row);
            transactions.afterCommit(this::forget);
            audit.record("whatsapp.account-connected", Outcome.SUCCESS, actor.workspaceId(), actor.userId(),
                    request.phoneNumberId(), Map.of());
            return new WhatsAppAccountView(row.id(), row.workspaceId(), row.phoneNumberId(), version,
                    java.time.Instant.now());
        });
    }

    public List<WhatsAppAccountView> list(UUID workspaceId) {
        return transactions.read(() -> accounts.byWorkspace(workspaceId).stream().map(WhatsAppAccountService::view).toList());
    }

    public void disconnect(CurrentUser actor, UUID id) {
        transactions.write(() -> {
            transactions.afterCommit(this::forget);
            if (accounts.delete(actor.workspaceId(), id) == 0) {
                throw new ApiException(ProblemType.NOT_FOUND, "No such WhatsApp account");
            }
            audit.record("whatsapp.account-disconnected", Outcome.SUCCESS, actor.workspaceId(), actor.userId(),
                    id.toString(), Map.of());
            return null;
        });
    }

    Optional<WhatsAppAccount> byPhoneNumber(String phoneNumberId) {
        return find(a -> a.phoneNumberId().equals(phoneNumberId));
    }

    /** The account a workspace sends from: its first connected number. */
    Optional<WhatsAppAccount> forWorkspace(UUID workspaceId) {
        return find(a -> a.workspaceId().equals(workspaceId));
    }

    /** The first account matching, looked for again in a fresh snapshot when the one in memory has none. */
    private Optional<WhatsAppAccount> find(Predicate<WhatsAppAccount> match) {
        Optional<WhatsAppAccount> found = all().stream().filter(match).findFirst();
        return found.isPresent() ? found : reloaded().stream().filter(match).findFirst();
    }

    /**
     * Every connected account, decrypted. Kept in memory for ten seconds (webhooks check signatures
     * against them on every delivery); a number disconnected on another node may be honoured that long.
     */
    private List<WhatsAppAccount> all() {
        Snapshot current = snapshot;
        return current == null || System.nanoTime() - current.loadedAt() > SNAPSHOT_NANOS
                ? load(SNAPSHOT_NANOS) : current.accounts();
    }

    /**
     * Whether {@code test} holds for the accounts in memory or, failing that, for those the database
     * has now: a number just connected on another node is known at once.
     */
    boolean matches(Predicate<List<WhatsAppAccount>> test) {
        return test.test(all()) || test.test(reloaded());
    }

    /**
     * The accounts as the database has them now, for a miss in {@link #all()}. At most ten reloads a
     * second, one at a time, whatever the misses (forged signatures included).
     */
    private List<WhatsAppAccount> reloaded() {
        return load(RELOAD_NANOS);
    }

    /**
     * The snapshot if one younger than {@code freshEnoughNanos} exists, otherwise the accounts read
     * now. One read at a time; a read that a change on this node overtook is returned but not kept.
     */
    private List<WhatsAppAccount> load(long freshEnoughNanos) {
        synchronized (loading) {
            Snapshot current = snapshot;
            long startedAt = System.nanoTime();
            if (current != null && startedAt - current.loadedAt() < freshEnoughNanos) {
                return current.accounts();
            }
            long seen = changes.get();
            List<WhatsAppAccount> read = transactions.read(accounts::all).stream().map(this::open).toList();
            if (changes.get() == seen) {
                snapshot = new Snapshot(read, startedAt);
            }
            return read;
        }
    }

    /** After a change committed on this node: the next look reads the database. */
    private void forget() {
        changes.incrementAndGet();
        snapshot = null;
    }

    private WhatsAppAccount open(WhatsAppAccountRepository.Row row) {
        return new WhatsAppAccount(row.id(), row.workspaceId(), row.phoneNumberId(), box.open(row.accessToken()),
                box.open(row.appSecret()), box.open(row.verifyToken()), row.graphVersion());
    }

    private static WhatsAppAccountView view(WhatsAppAccountRepository.Row row) {
        return new WhatsAppAccountView(row.id(), row.workspaceId(), row.phoneNumberId(), row.graphVersion(),
                row.createdAt());
    }
}
