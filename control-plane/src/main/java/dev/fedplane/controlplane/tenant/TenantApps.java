package dev.fedplane.controlplane.tenant;

/**
 * How many apps a tenant has; implemented by the app store (so this package does not depend on it).
 */
public interface TenantApps {
    long countOfTenant(String tenant);
}
