package br.com.reistech.users;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.UUID;

/** A person who signs in to one workspace. */
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

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private Role role;

    @Column(name = "password_hash", nullable = false, length = 72)
    private String passwordHash;

    @Column(nullable = false)
    private boolean active;

    @Version
    private long version;

    protected AppUser() {
    }

    AppUser(UUID workspaceId, String email, String nome, Role role, String passwordHash) {
        this.id = UUID.randomUUID();
        this.workspaceId = workspaceId;
        this.email = email;
        this.nome = nome;
        this.role = role;
        this.passwordHash = passwordHash;
        this.active = true;
    }

    UUID id() {
        return id;
    }

    String email() {
        return email;
    }

    Role role() {
        return role;
    }
}
