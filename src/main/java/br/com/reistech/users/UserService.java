package br.com.reistech.users;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.config.AppConfig;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.PasswordHasher;
import br.com.reistech.security.Role;
import br.com.reistech.web.Page;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Users of a workspace. Every operation is scoped to the caller's workspace: an id of another
 * workspace is simply not found. Only a platform administrator may grant or touch the
 * {@code PLATFORM_ADMIN} role. Password, role and active-flag changes end the user's sessions
 * ({@link UserSecurityChanged}) in the same transaction, and are audited.
 */
@ApplicationScoped
public class UserService {

    private final Transactions transactions;
    private final UserRepository users;
    private final AuditService audit;
    private final Event<UserSecurityChanged> securityChanges;
    private final Clock clock;
    private final int maxFailedLogins;
    private final Duration lockout;

    @Inject
    public UserService(Transactions transactions, UserRepository users, AuditService audit,
                       Event<UserSecurityChanged> securityChanges, Clock clock, AppConfig config) {
        this.transactions = transactions;
        this.users = users;
        this.audit = audit;
        this.securityChanges = securityChanges;
        this.clock = clock;
        this.maxFailedLogins = config.auth().maxFailedLogins();
        this.lockout = config.auth().lockout();
    }

    public UserView create(CurrentUser actor, UUID workspaceId, UserRequest request) {
        requireMayGrant(actor, request.role());
        String email = normalizeEmail(request.email());
        String cpf = CpfNumber.normalize(request.cpf());
        String hash = PasswordHasher.hash(request.password());
        return transactions.write(() -> {
            requireUnique(workspaceId, email, cpf, null);
            AppUser user = new AppUser(workspaceId, email, request.nome().strip(), cpf, request.role(), hash, clock.instant());
            users.add(user);
            audit.record("user.created", Outcome.SUCCESS, workspaceId, actor.userId(), user.id().toString(),
                    Map.of("role", request.role().name()));
            return user.view(clock.instant());
        });
    }

    public Page<UserView> list(UUID workspaceId, int page, int size) {
        return transactions.read(() -> new Page<>(
                users.list(workspaceId, page, size).stream().map(u -> u.view(clock.instant())).toList(),
                page, size, users.count(workspaceId)));
    }

    public UserView get(UUID workspaceId, UUID id) {
        return transactions.read(() -> found(users.findById(workspaceId, id)).view(clock.instant()));
    }

    public UserView update(CurrentUser actor, UUID workspaceId, UUID id, UserUpdateRequest request) {
        String email = normalizeEmail(request.email());
        String cpf = CpfNumber.normalize(request.cpf());
        return transactions.write(() -> {
            AppUser user = found(users.lockById(workspaceId, id));
            requireMayGrant(actor, user.role());
            requireMayGrant(actor, request.role());
            requireUnique(workspaceId, email, cpf, id);
            Role before = user.role();
            user.update(email, request.nome().strip(), cpf, request.role(), clock.instant());
            audit.record("user.changed", Outcome.SUCCESS, workspaceId, actor.userId(), id.toString(), Map.of());
            if (before != request.role()) {
                audit.record("user.role-changed", Outcome.SUCCESS, workspaceId, actor.userId(), id.toString(),
                        Map.of("from", before.name(), "to", request.role().name()));
                securityChanges.fire(new UserSecurityChanged(workspaceId, id, "role-changed"));
            }
            return user.view(clock.instant());
        });
    }

    /** Deactivates the user (history keeps referring to it) and ends its sessions. */
    public void deactivate(CurrentUser actor, UUID workspaceId, UUID id) {
        transactions.write(() -> {
            AppUser user = found(users.lockById(workspaceId, id));
            requireMayGrant(actor, user.role());
            if (id.equals(actor.userId())) {
                throw new ApiException(ProblemType.CONFLICT, "You cannot deactivate yourself");
            }
            user.deactivate(clock.instant());
            audit.record("user.deleted", Outcome.SUCCESS, workspaceId, actor.userId(), id.toString(), Map.of());
            securityChanges.fire(new UserSecurityChanged(workspaceId, id, "deactivated"));
            return null;
        });
    }

    public UserView unlock(CurrentUser actor, UUID workspaceId, UUID id) {
        return transactions.write(() -> {
            AppUser user = found(users.lockById(workspaceId, id));
            requireMayGrant(actor, user.role());
            user.unlock(clock.instant());
            audit.record("user.unlocked", Outcome.SUCCESS, workspaceId, actor.userId(), id.toString(), Map.of());
            return user.view(clock.instant());
        });
    }

    /** Changes the caller's own password after checking the current one; all its sessions end. */
    public void changePassword(CurrentUser actor, PasswordChangeRequest request) {
        String current = transactions.read(() -> found(users.findById(actor.workspaceId(), actor.userId())).passwordHash());
        if (!PasswordHasher.matches(request.currentPassword(), current)) {
            audit.record("user.password-changed", Outcome.FAILURE, actor.workspaceId(), actor.userId(),
                    actor.userId().toString(), Map.of("reason", "wrong-current-password"));
            throw new ApiException(ProblemType.VALIDATION_FAILED, "The current password is wrong",
                    List.of(new Problem.Violation("currentPassword", "body", "is wrong")));
        }
        String hash = PasswordHasher.hash(request.newPassword());
        transactions.write(() -> {
            found(users.lockById(actor.workspaceId(), actor.userId())).changePassword(hash, clock.instant());
            audit.record("user.password-changed", Outcome.SUCCESS, actor.workspaceId(), actor.userId(),
                    actor.userId().toString(), Map.of());
            securityChanges.fire(new UserSecurityChanged(actor.workspaceId(), actor.userId(), "password-changed"));
            return null;
        });
    }

    public Optional<Credentials> findCredentials(UUID workspaceId, String email) {
        return transactions.read(() -> users.findByEmail(workspaceId, normalizeEmail(email)).map(AppUser::credentials));
    }

    public Optional<Credentials> findCredentials(UUID workspaceId, UUID userId) {
        return transactions.read(() -> users.findById(workspaceId, userId).map(AppUser::credentials));
    }

    /**
     * Locks the user's row for the rest of the caller's transaction (serialising assignments to one
     * agent, so a capacity check cannot be raced) and returns its credentials.
     */
    public Optional<Credentials> lockForAssignment(UUID workspaceId, UUID userId) {
        return transactions.write(() -> users.lockById(workspaceId, userId).map(AppUser::credentials));
    }

    /**
     * Decides a login attempt whose password was already checked, under the user's row lock: a
     * locked or inactive account is refused whatever the password; a wrong password counts towards
     * the lockout (audited when it locks); a right one resets the count. Returns null when the
     * login may proceed, else the reason it is refused.
     */
    public String recordLoginAttempt(UUID workspaceId, UUID userId, boolean passwordMatches) {
        return transactions.write(() -> {
            AppUser user = found(users.lockById(workspaceId, userId));
            if (!user.active()) {
                return "inactive";
            }
            if (user.lockedAt(clock.instant())) {
                return "locked";
            }
            if (!passwordMatches) {
                if (user.failLogin(maxFailedLogins, clock.instant().plus(lockout))) {
                    audit.record("user.locked", Outcome.SUCCESS, workspaceId, null, userId.toString(),
                            Map.of("lockoutSeconds", lockout.toSeconds()));
                }
                return "wrong-password";
            }
            user.succeedLogin();
            return null;
        });
    }

    /** Creates the user unless one with this e-mail exists (seed data); never changes an existing one. */
    public boolean ensure(UUID workspaceId, String email, String nome, Role role, String password) {
        String normalized = normalizeEmail(email);
        if (transactions.read(() -> users.findByEmail(workspaceId, normalized).isPresent())) {
            return false;
        }
        String hash = PasswordHasher.hash(password);
        return transactions.write(() -> {
            if (users.findByEmail(workspaceId, normalized).isPresent()) {
                return false;
            }
            users.add(new AppUser(workspaceId, normalized, nome, null, role, hash, clock.instant()));
            return true;
        });
    }

    private void requireUnique(UUID workspaceId, String email, String cpf, UUID self) {
        users.findByEmail(workspaceId, email).filter(other -> !other.id().equals(self)).ifPresent(other -> {
            throw new ApiException(ProblemType.CONFLICT, "A user with this e-mail already exists in the workspace",
                    List.of(new Problem.Violation("email", "body", "already in use")));
        });
        if (cpf != null && users.cpfTaken(workspaceId, cpf, self == null ? new UUID(0, 0) : self)) {
            throw new ApiException(ProblemType.CONFLICT, "A user with this CPF already exists in the workspace",
                    List.of(new Problem.Violation("cpf", "body", "already in use")));
        }
    }

    private static void requireMayGrant(CurrentUser actor, Role role) {
        if (role == Role.PLATFORM_ADMIN && actor.role() != Role.PLATFORM_ADMIN) {
            throw new ApiException(ProblemType.FORBIDDEN, "Only a platform administrator may manage platform administrators");
        }
    }

    private static AppUser found(Optional<AppUser> user) {
        return user.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such user"));
    }

    private static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
