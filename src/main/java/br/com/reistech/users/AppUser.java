package br.com.reistech.users;

import br.com.reistech.security.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A person who signs in to one workspace. Only {@link UserService} touches it. */
@Entity
@Table(name = "app_user")
public class AppUser {

    @Id
    private UUID id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;

    @Column(nullable = false, length = 254)
    private String email;

    @Column(nullable = false, length = 100)
    private String nome;

    @Column(length = 11)
    private String cpf;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private Role role;

    @Column(name = "password_hash", nullable = false, length = 72)
    private String passwordHash;

    @Column(nullable = false)
    private boolean active;

    @Column(name = "failed_logins", nullable = false)
    private int failedLogins;

    @Column(name = "locked_until")
    private Instant lockedUntil;

    @Column(name = "password_changed_at", nullable = false)
    private Instant passwordChangedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected AppUser() {
    }

    AppUser(UUID workspaceId, String email, String nome, String cpf, Role role, String passwordHash, Instant now) {
        this.id = UUID.randomUUID();
        this.workspaceId = workspaceId;
        this.email = email;
        this.nome = nome;
        this.cpf = cpf;
        this.role = role;
        this.passwordHash = passwordHash;
        this.active = true;
        this.passwordChangedAt = now;
        this.createdAt = now;
        this.updatedAt = now;
    }

    UserView view(Instant now) {
        return new UserView(id, workspaceId, email, nome, CpfNumber.masked(cpf), role, active,
                lockedUntil != null && lockedUntil.isAfter(now), createdAt);
    }

    Credentials credentials() {
        return new Credentials(id, workspaceId, role, passwordHash, active);
    }

    void update(String newEmail, String newNome, String newCpf, Role newRole, Instant now) {
        this.email = newEmail;
        this.nome = newNome;
        this.cpf = newCpf;
        this.role = newRole;
        this.updatedAt = now;
    }

    void changePassword(String hash, Instant now) {
        this.passwordHash = hash;
        this.passwordChangedAt = now;
        this.updatedAt = now;
    }

    void deactivate(Instant now) {
        this.active = false;
        this.updatedAt = now;
    }

    /** Counts a failed login; returns true when this failure locked the account. */
    boolean failLogin(int maxFailures, Instant lockUntil) {
        failedLogins++;
        if (failedLogins >= maxFailures) {
            failedLogins = 0;
            lockedUntil = lockUntil;
            return true;
        }
        return false;
    }

    boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    void succeedLogin() {
        failedLogins = 0;
        lockedUntil = null;
    }

    void unlock(Instant now) {
        failedLogins = 0;
        lockedUntil = null;
        updatedAt = now;
    }

    UUID id() {
        return id;
    }

    String email() {
        return email;
    }

    String cpf() {
        return cpf;
    }

    Role role() {
        return role;
    }

    String passwordHash() {
        return passwordHash;
    }

    boolean active() {
        return active;
    }
}
