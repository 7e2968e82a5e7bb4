package dev.fedplane.controlplane.auth;

/** What a bearer token may do. Tenant roles are bound to one tenant. */
public enum Role {
    PLATFORM_ADMIN,
    TENANT_ADMIN,
    TENANT_VIEWER;

    public boolean isTenantRole() {
        return this != PLATFORM_ADMIN;
    }

    /** The role's name as users write it: {@code platform-admin}, ... */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
