package dev.fedplane.controlplane.auth;

/**
 * Whether a tenant exists; implemented by the tenant store (so this package does not depend on it).
 */
public interface KnownTenants {
    boolean exists(String tenant);
}
