package dev.fedplane.controlplane.auth;

/** The authenticated caller of one request: its token id, role and (for tenant roles) tenant. */
public record Principal(String tokenId, Role role, String tenant) {
    /** The control plane itself (first-start bootstrap, reconciler). */
    public static final Principal SYSTEM = new Principal("system", Role.PLATFORM_ADMIN, null);

    public boolean isPlatformAdmin() {
        return role == Role.PLATFORM_ADMIN;
    }

    public boolean canRead(String tenantName) {
        return isPlatformAdmin() || tenantName.equals(tenant);
    }

    public boolean canWrite(String tenantName) {
        return isPlatformAdmin() || (role == Role.TENANT_ADMIN && tenantName.equals(tenant));
    }
}
