package br.com.reistech.security;

/** Roles, from the installation's operator down to a workspace's agents. */
public enum Role {
    PLATFORM_ADMIN, ADMIN, SUPERVISOR, AGENT
}
