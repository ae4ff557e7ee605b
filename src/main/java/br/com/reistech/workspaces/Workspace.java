package br.com.reistech.workspaces;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A store: the tenant every other row belongs to. Only {@link WorkspaceService} touches it. */
@Entity
@Table(name = "workspace")
public class Workspace {

    @Id
    private UUID id;

    @Column(nullable = false, unique = true, length = 63, updatable = false)
    private String slug;

    @Column(nullable = false, length = 120)
    private String name;

    @Column(nullable = false)
    private boolean active;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    private String settings;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected Workspace() {
    }

    Workspace(String slug, String name, String settings, Instant now) {
        this.id = UUID.randomUUID();
        this.slug = slug;
        this.name = name;
        this.settings = settings;
        this.active = true;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void update(String newName, String newSettings, Instant now) {
        this.name = newName;
        this.settings = newSettings;
        this.updatedAt = now;
    }

    void deactivate(Instant now) {
        this.active = false;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    String slug() {
        return slug;
    }

    String name() {
        return name;
    }

    boolean active() {
        return active;
    }

    String settings() {
        return settings;
    }

    Instant createdAt() {
        return createdAt;
    }
}
