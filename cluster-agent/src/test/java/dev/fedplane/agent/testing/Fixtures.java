package dev.fedplane.agent.testing;

import dev.fedplane.agent.apply.NamespaceSpec;
import dev.fedplane.agent.apply.WorkloadSpec;
import dev.fedplane.proto.v1.ContainerPort;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.CrossTenantRule;
import dev.fedplane.proto.v1.DesiredState;
import dev.fedplane.proto.v1.DesiredStateDelta;
import dev.fedplane.proto.v1.EgressRule;
import dev.fedplane.proto.v1.EnvVar;
import dev.fedplane.proto.v1.NetworkRules;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.TenantNamespace;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadKey;
import java.util.List;
import java.util.Map;

/** Builders of desired state for tests. */
public final class Fixtures {

    private Fixtures() {}

    public static TenantNamespace aTenantNamespace(String tenant) {
        return TenantNamespace.newBuilder()
                .setTenant(tenant)
                .putLabels("team", tenant + "-team")
                .build();
    }

    public static Workload aWorkload(String tenant, String app, int replicas) {
        return Workload.newBuilder()
                .setTenant(tenant)
                .setApp(app)
                .setAppGeneration(3)
                .setImage("registry.example/" + app + ":1.0")
                .setReplicas(replicas)
                .setResources(Resources.newBuilder().setCpuMillis(500).setMemoryMib(512))
                .addPorts(
                        ContainerPort.newBuilder()
                                .setName("http")
                                .setContainerPort(8080)
                                .setProtocol("TCP"))
                .addEnv(EnvVar.newBuilder().setName("MODE").setValue("prod"))
                .build();
    }

    public static ControlMessage full(
            long epoch,
            long generation,
            List<TenantNamespace> namespaces,
            List<Workload> workloads) {
        return ControlMessage.newBuilder()
                .setEpoch(epoch)
                .setGeneration(generation)
                .setFull(
                        DesiredState.newBuilder()
                                .addAllNamespaces(namespaces)
                                .addAllWorkloads(workloads))
                .build();
    }

    public static ControlMessage delta(
            long epoch, long generation, List<Workload> upserts, List<WorkloadKey> removals) {
        return ControlMessage.newBuilder()
                .setEpoch(epoch)
                .setGeneration(generation)
                .setDelta(
                        DesiredStateDelta.newBuilder()
                                .addAllUpsertWorkloads(upserts)
                                .addAllRemoveWorkloads(removals))
                .build();
    }

    public static NamespaceSpec aNamespaceSpec(String tenant) {
        return new NamespaceSpec(tenant, Map.of("team", tenant + "-team"));
    }

    public static NamespaceSpec aNamespaceSpec(
            String tenant, NamespaceSpec.QuotaSpec quota, NamespaceSpec.NetworkSpec network) {
        return new NamespaceSpec(tenant, Map.of("team", tenant + "-team"), quota, network);
    }

    public static NamespaceSpec.QuotaSpec quota(long cpuMillis, long memoryMib, long pods) {
        return new NamespaceSpec.QuotaSpec(cpuMillis, memoryMib, pods);
    }

    public static NamespaceSpec.NetworkSpec network(
            List<NamespaceSpec.EgressRule> egress, NamespaceSpec.CrossTenantRule... crossTenant) {
        return new NamespaceSpec.NetworkSpec(egress, List.of(crossTenant));
    }

    public static NamespaceSpec.EgressRule egress(String cidr, int port, String protocol) {
        return new NamespaceSpec.EgressRule(cidr, port, protocol);
    }

    /** This tenant's side of "this tenant may reach {@code peer}'s {@code app} on {@code port}". */
    public static NamespaceSpec.CrossTenantRule mayReach(String peer, String app, int port) {
        return new NamespaceSpec.CrossTenantRule(
                NamespaceSpec.CrossTenantRule.Direction.EGRESS, peer, app, port);
    }

    /** This tenant's side of "{@code peer} may reach this tenant's {@code app} on {@code port}". */
    public static NamespaceSpec.CrossTenantRule mayBeReachedBy(String peer, String app, int port) {
        return new NamespaceSpec.CrossTenantRule(
                NamespaceSpec.CrossTenantRule.Direction.INGRESS, peer, app, port);
    }

    /**
     * A proto namespace with a quota, one egress rule and one cross-tenant rule of each direction.
     */
    public static TenantNamespace aGuardedTenantNamespace(String tenant) {
        return aTenantNamespace(tenant).toBuilder()
                .setQuota(Resources.newBuilder().setCpuMillis(4000).setMemoryMib(8192).setPods(20))
                .setNetwork(
                        NetworkRules.newBuilder()
                                .addEgress(
                                        EgressRule.newBuilder()
                                                .setCidr("10.0.32.0/24")
                                                .setPort(5978)
                                                .setProtocol("TCP"))
                                .addCrossTenant(
                                        CrossTenantRule.newBuilder()
                                                .setDirection(CrossTenantRule.Direction.EGRESS)
                                                .setPeerTenant("billing")
                                                .setApp("api")
                                                .setPort(8443))
                                .addCrossTenant(
                                        CrossTenantRule.newBuilder()
                                                .setDirection(CrossTenantRule.Direction.INGRESS)
                                                .setPeerTenant("ops")
                                                .setApp("web")
                                                .setPort(8080)))
                .build();
    }

    public static WorkloadSpec aWorkloadSpec(String tenant, String app, int replicas) {
        return new WorkloadSpec(
                tenant,
                app,
                3,
                "registry.example/" + app + ":1.0",
                replicas,
                500,
                512,
                List.of(new WorkloadSpec.Port("http", 8080, "TCP")),
                List.of(new WorkloadSpec.Env("MODE", "prod")),
                0,
                0,
                0,
                Map.of(),
                Map.of());
    }
}
