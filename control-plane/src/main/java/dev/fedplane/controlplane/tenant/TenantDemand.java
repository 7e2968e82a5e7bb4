package dev.fedplane.controlplane.tenant;

import dev.fedplane.controlplane.common.Quantities;

/**
 * What (some of) a tenant's apps ask for: replicas, and replicas x per-replica requests. The domain
 * value of the {@code tenant_usage} row and of one app's spec.
 */
public record TenantDemand(String tenant, long replicas, long cpuMillis, long memoryMiB) {

    public static TenantDemand none(String tenant) {
        return new TenantDemand(tenant, 0, 0, 0);
    }

    /** As quantities, replicas counted as pods. */
    public Quantities asQuantities() {
        return new Quantities(cpuMillis, memoryMiB, replicas);
    }
}
