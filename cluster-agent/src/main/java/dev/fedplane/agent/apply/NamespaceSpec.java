package dev.fedplane.agent.apply;

import java.util.List;
import java.util.Map;

/**
 * One tenant's namespace in this cluster, with what the agent keeps inside it besides workloads:
 * the tenant's ResourceQuota ({@link QuotaSpec}) and NetworkPolicies ({@link NetworkSpec}). The
 * control plane sends both already resolved (cross-tenant rules only when both tenants agreed).
 */
public record NamespaceSpec(
        String tenant, Map<String, String> labels, QuotaSpec quota, NetworkSpec network) {

    public NamespaceSpec {
        labels = Map.copyOf(labels);
        quota = quota == null ? QuotaSpec.NONE : quota;
        network = network == null ? NetworkSpec.NONE : network;
    }

    /**
     * A namespace without quota and without egress or cross-tenant rules (isolation still applies).
     */
    public NamespaceSpec(String tenant, Map<String, String> labels) {
        this(tenant, labels, QuotaSpec.NONE, NetworkSpec.NONE);
    }

    /** The tenant's share of its quota in this cluster; a field of 0 sets no limit for it. */
    public record QuotaSpec(long cpuMillis, long memoryMib, long pods) {
        public static final QuotaSpec NONE = new QuotaSpec(0, 0, 0);

        /** Whether any field is set: only then is there a ResourceQuota. */
        public boolean isSet() {
            return cpuMillis > 0 || memoryMib > 0 || pods > 0;
        }
    }

    /** The tenant's egress allow-list and the cross-tenant allows agreed by both tenants. */
    public record NetworkSpec(List<EgressRule> egress, List<CrossTenantRule> crossTenant) {
        public static final NetworkSpec NONE = new NetworkSpec(List.of(), List.of());

        public NetworkSpec {
            egress = List.copyOf(egress);
            crossTenant = List.copyOf(crossTenant);
        }
    }

    /**
     * @param port 1..65535, or 0 for every port
     * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}; empty means TCP when a port is
     *     given, and every protocol when the port is 0 as well
     */
    public record EgressRule(String cidr, int port, String protocol) {}

    /**
     * One side of an agreed cross-tenant allow; {@code app} is the receiving app (the peer's for
     * EGRESS).
     */
    public record CrossTenantRule(Direction direction, String peerTenant, String app, int port) {
        public enum Direction {
            EGRESS,
            INGRESS
        }
    }
}
