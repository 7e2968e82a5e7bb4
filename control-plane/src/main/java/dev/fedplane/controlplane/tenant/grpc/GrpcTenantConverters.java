package dev.fedplane.controlplane.tenant.grpc;

import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.proto.v1.ClusterQuota;
import dev.fedplane.proto.v1.CrossTenantRule;
import dev.fedplane.proto.v1.EgressRule;
import dev.fedplane.proto.v1.NetworkRules;
import dev.fedplane.proto.v1.TenantQuota;
import java.util.Locale;

/** The only place where generated tenant messages meet the tenant domain. */
public final class GrpcTenantConverters {
    private GrpcTenantConverters() {}

    public static Tenant toCore(dev.fedplane.proto.v1.Tenant t) {
        return new Tenant(
                t.getName(),
                t.getDisplayName(),
                t.getLabelsMap(),
                toCore(t.getQuota()),
                GrpcCommonConverters.toCore(t.getAllowedClusters()),
                toCore(t.getNetwork()),
                t.getResourceVersion(),
                0,
                0);
    }

    static Tenant.Quota toCore(TenantQuota q) {
        return new Tenant.Quota(
                q.hasCpuMillis() ? q.getCpuMillis() : null,
                q.hasMemoryMib() ? q.getMemoryMib() : null,
                q.hasReplicas() ? q.getReplicas() : null,
                q.getPerClusterList().stream()
                        .map(
                                c ->
                                        new Tenant.ClusterQuota(
                                                c.getCluster(),
                                                c.hasCpuMillis() ? c.getCpuMillis() : null,
                                                c.hasMemoryMib() ? c.getMemoryMib() : null,
                                                c.hasReplicas() ? c.getReplicas() : null))
                        .toList());
    }

    public static Tenant.NetworkRules toCore(NetworkRules n) {
        return new Tenant.NetworkRules(
                n.getEgressList().stream()
                        .map(
                                e ->
                                        new Tenant.EgressRule(
                                                e.getCidr(),
                                                e.getPort(),
                                                e.getProtocol().isEmpty()
                                                        ? "TCP"
                                                        : e.getProtocol().toUpperCase(Locale.ROOT)))
                        .toList(),
                n.getCrossTenantList().stream()
                        .map(
                                c ->
                                        new Tenant.CrossTenantRule(
                                                switch (c.getDirection()) {
                                                    case EGRESS -> Tenant.Direction.EGRESS;
                                                    case INGRESS -> Tenant.Direction.INGRESS;
                                                    default -> null;
                                                },
                                                c.getPeerTenant(),
                                                c.getApp(),
                                                c.getPort()))
                        .toList());
    }

    public static dev.fedplane.proto.v1.Tenant toGrpc(Tenant t) {
        TenantQuota.Builder q = TenantQuota.newBuilder();
        if (t.quota().cpuMillis() != null) {
            q.setCpuMillis(t.quota().cpuMillis());
        }
        if (t.quota().memoryMiB() != null) {
            q.setMemoryMib(t.quota().memoryMiB());
        }
        if (t.quota().replicas() != null) {
            q.setReplicas(t.quota().replicas());
        }
        for (Tenant.ClusterQuota c : t.quota().perCluster()) {
            ClusterQuota.Builder cb = ClusterQuota.newBuilder().setCluster(c.cluster());
            if (c.cpuMillis() != null) {
                cb.setCpuMillis(c.cpuMillis());
            }
            if (c.memoryMiB() != null) {
                cb.setMemoryMib(c.memoryMiB());
            }
            if (c.replicas() != null) {
                cb.setReplicas(c.replicas());
            }
            q.addPerCluster(cb);
        }
        NetworkRules n = toGrpc(t.network());
        return dev.fedplane.proto.v1.Tenant.newBuilder()
                .setName(t.name())
                .setDisplayName(t.displayName())
                .putAllLabels(t.labels())
                .setQuota(q)
                .setAllowedClusters(GrpcCommonConverters.toGrpc(t.allowedClusters()))
                .setNetwork(n)
                .setResourceVersion(t.resourceVersion())
                .setCreateTimeUnixMillis(t.createdAt())
                .setUpdateTimeUnixMillis(t.updatedAt())
                .build();
    }

    public static NetworkRules toGrpc(Tenant.NetworkRules rules) {
        NetworkRules.Builder n = NetworkRules.newBuilder();
        for (Tenant.EgressRule e : rules.egress()) {
            n.addEgress(
                    EgressRule.newBuilder()
                            .setCidr(e.cidr())
                            .setPort(e.port())
                            .setProtocol(e.protocol()));
        }
        for (Tenant.CrossTenantRule c : rules.crossTenant()) {
            n.addCrossTenant(
                    CrossTenantRule.newBuilder()
                            .setDirection(CrossTenantRule.Direction.valueOf(c.direction().name()))
                            .setPeerTenant(c.peerTenant())
                            .setApp(c.app())
                            .setPort(c.port()));
        }
        return n.build();
    }
}
