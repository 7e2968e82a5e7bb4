package dev.fedplane.controlplane.tenant;

import dev.fedplane.controlplane.common.ClusterSelector;
import java.util.List;
import java.util.Map;

/** A tenant: the unit of isolation in every cluster. Immutable. */
public record Tenant(
        String name,
        String displayName,
        Map<String, String> labels,
        Quota quota,
        ClusterSelector allowedClusters,
        NetworkRules network,
        long resourceVersion,
        long createdAt,
        long updatedAt) {

    public Tenant {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        quota = quota == null ? Quota.UNLIMITED : quota;
        allowedClusters = allowedClusters == null ? ClusterSelector.ALL : allowedClusters;
        network = network == null ? NetworkRules.NONE : network;
        displayName = displayName == null ? "" : displayName;
    }

    /** Federation-wide limits; a null field is no limit. */
    public record Quota(
            Long cpuMillis, Long memoryMiB, Long replicas, List<ClusterQuota> perCluster) {
        public static final Quota UNLIMITED = new Quota(null, null, null, List.of());

        public Quota {
            perCluster = perCluster == null ? List.of() : List.copyOf(perCluster);
        }
    }

    public record ClusterQuota(String cluster, Long cpuMillis, Long memoryMiB, Long replicas) {}

    public record NetworkRules(List<EgressRule> egress, List<CrossTenantRule> crossTenant) {
        public static final NetworkRules NONE = new NetworkRules(List.of(), List.of());

        public NetworkRules {
            egress = egress == null ? List.of() : List.copyOf(egress);
            crossTenant = crossTenant == null ? List.of() : List.copyOf(crossTenant);
        }
    }

    /** Outbound allow: a CIDR, a port (0 = every port) and a protocol. */
    public record EgressRule(String cidr, int port, String protocol) {}

    public enum Direction {
        EGRESS,
        INGRESS
    }

    /** One side of a cross-tenant allow; both tenants must hold matching sides. */
    public record CrossTenantRule(Direction direction, String peerTenant, String app, int port) {}
}
