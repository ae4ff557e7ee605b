package br.com.reistech.security;

import static br.com.reistech.security.Role.ADMIN;
import static br.com.reistech.security.Role.AGENT;
import static br.com.reistech.security.Role.PLATFORM_ADMIN;
import static br.com.reistech.security.Role.SUPERVISOR;

import java.util.EnumSet;
import java.util.Set;

/**
 * The permission matrix: what each role may do. A resource method declares the one permission it
 * needs with {@link Allow}; a method that declares none is refused to everyone.
 * A platform administrator holds every permission, within its own workspace as well.
 */
public enum Permission {
    /** Create, list, change and deactivate workspaces. */
    WORKSPACES_MANAGE(PLATFORM_ADMIN),
    /** See the users of one's workspace. */
    USERS_READ(PLATFORM_ADMIN, ADMIN, SUPERVISOR),
    /** Create, change, deactivate and unlock users of one's workspace. */
    USERS_MANAGE(PLATFORM_ADMIN, ADMIN),
    /** See the human queue. */
    QUEUE_READ(PLATFORM_ADMIN, ADMIN, SUPERVISOR, AGENT),
    /** Take a conversation from the queue for oneself. */
    QUEUE_TAKE(PLATFORM_ADMIN, ADMIN, SUPERVISOR, AGENT),
    /** Assign and transfer conversations to other agents. */
    QUEUE_ASSIGN(PLATFORM_ADMIN, ADMIN, SUPERVISOR),
    /** Work on one's own conversations (read, reply, release, close). */
    CONVERSATIONS_OWN(PLATFORM_ADMIN, ADMIN, SUPERVISOR, AGENT),
    /** See every conversation of the workspace. */
    CONVERSATIONS_ALL(PLATFORM_ADMIN, ADMIN, SUPERVISOR),
    /** Read bot texts and the catalog. */
    CONTENT_READ(PLATFORM_ADMIN, ADMIN, SUPERVISOR, AGENT),
    /** Edit bot texts and the catalog. */
    CONTENT_WRITE(PLATFORM_ADMIN, ADMIN),
    /** Cache, rate-limit and audit administration of one's workspace. */
    OPERATIONS(PLATFORM_ADMIN, ADMIN),
    /** Verify the audit trail's hash chain: it spans every workspace of the installation. */
    AUDIT_VERIFY(PLATFORM_ADMIN),
    /** Rate limits, bans and IP lists: they hold for every workspace of the installation. */
    RATE_LIMITS(PLATFORM_ADMIN),
    /** One's own session and password. */
    SELF(PLATFORM_ADMIN, ADMIN, SUPERVISOR, AGENT);

    private final Set<Role> roles;

    Permission(Role first, Role... rest) {
        this.roles = EnumSet.of(first, rest);
    }

    public boolean grantedTo(Role role) {
        return roles.contains(role);
    }
}
