package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.List;

/**
 * A tenant's use against its quota, in total and per cluster where replicas are placed. {@code
 * levels}: use against each quota field that has a limit ("cpu", "memory", "replicas").
 */
public record TenantUsage(
        String tenant,
        Quantities requested,
        long replicas,
        Tenant.Quota quota,
        List<ClusterUsage> clusters,
        List<ResourceLevel> levels) {
    public TenantUsage {
        clusters = List.copyOf(clusters);
        levels = List.copyOf(levels);
    }

    /**
     * Use in one cluster; {@code cap} is the tenant's per-cluster cap there (null: none), {@code
     * levels} the use against each of its limits.
     */
    public record ClusterUsage(
            String cluster,
            long replicas,
            Quantities requested,
            Tenant.ClusterQuota cap,
            List<ResourceLevel> levels) {
        public ClusterUsage {
            levels = List.copyOf(levels);
        }
    }
}
