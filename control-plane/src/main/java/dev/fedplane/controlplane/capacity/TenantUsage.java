package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.List;

/** A tenant's use against its quota, in total and per cluster where replicas are placed. */
public record TenantUsage(
        String tenant,
        Quantities requested,
        long replicas,
        Tenant.Quota quota,
        List<ClusterUsage> clusters) {
    public record ClusterUsage(String cluster, long replicas, Quantities requested) {}
}
