package dev.fedplane.controlplane.agent.grpc;

import dev.fedplane.controlplane.agent.AgentRegistration;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.proto.v1.ContainerPort;
import dev.fedplane.proto.v1.EnvVar;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.TenantNamespace;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadKey;

/** The agent protocol's generated types and the domain's. */
public final class GrpcAgentConverters {
    private GrpcAgentConverters() {}

    public static AgentRegistration.Request toCore(RegisterRequest r) {
        return new AgentRegistration.Request(
                r.getClusterName(),
                r.getLabelsMap(),
                r.getTaintsList().stream()
                        .map(t -> new Cluster.Taint(t.getKey(), t.getValue(), t.getEffect()))
                        .toList(),
                r.getAgentVersion(),
                r.getKubernetesVersion(),
                GrpcCommonConverters.toCore(r.getCapacity().getAllocatable()),
                GrpcCommonConverters.toCore(r.getCapacity().getRequested()),
                r.getCostPerCpuHour());
    }

    public static dev.fedplane.proto.v1.DesiredState toGrpc(DesiredState s) {
        dev.fedplane.proto.v1.DesiredState.Builder b =
                dev.fedplane.proto.v1.DesiredState.newBuilder();
        s.namespaces().values().forEach(n -> b.addNamespaces(toGrpc(n)));
        s.workloads().values().forEach(w -> b.addWorkloads(toGrpc(w)));
        return b.build();
    }

    public static dev.fedplane.proto.v1.DesiredStateDelta toGrpc(DesiredState.Delta d) {
        dev.fedplane.proto.v1.DesiredStateDelta.Builder b =
                dev.fedplane.proto.v1.DesiredStateDelta.newBuilder();
        d.upsertNamespaces().forEach(n -> b.addUpsertNamespaces(toGrpc(n)));
        b.addAllRemoveNamespaces(d.removeNamespaces());
        d.upsertWorkloads().forEach(w -> b.addUpsertWorkloads(toGrpc(w)));
        for (String key : d.removeWorkloads()) {
            int slash = key.indexOf('/');
            b.addRemoveWorkloads(
                    WorkloadKey.newBuilder()
                            .setTenant(key.substring(0, slash))
                            .setApp(key.substring(slash + 1)));
        }
        return b.build();
    }

    static TenantNamespace toGrpc(DesiredState.Namespace n) {
        TenantNamespace.Builder b =
                TenantNamespace.newBuilder().setTenant(n.tenant()).putAllLabels(n.labels());
        if (!n.quota().equals(Quantities.ZERO)) {
            b.setQuota(GrpcCommonConverters.toGrpc(n.quota()));
        }
        if (!n.network().egress().isEmpty() || !n.network().crossTenant().isEmpty()) {
            b.setNetwork(
                    dev.fedplane.controlplane.tenant.grpc.GrpcTenantConverters.toGrpc(n.network()));
        }
        return b.build();
    }

    static Workload toGrpc(DesiredState.Workload w) {
        Workload.Builder b =
                Workload.newBuilder()
                        .setTenant(w.tenant())
                        .setApp(w.app())
                        .setAppGeneration(w.appGeneration())
                        .setImage(w.image())
                        .setReplicas(w.replicas())
                        .setRevision(w.revision())
                        .setMaxSurge(w.maxSurge())
                        .setMaxUnavailable(w.maxUnavailable())
                        .setResources(
                                GrpcCommonConverters.toGrpc(
                                        new Quantities(w.cpuMillis(), w.memoryMiB(), 1)));
        w.ports()
                .forEach(
                        p ->
                                b.addPorts(
                                        ContainerPort.newBuilder()
                                                .setName(p.name() == null ? "" : p.name())
                                                .setContainerPort(p.containerPort())
                                                .setProtocol(
                                                        p.protocol() == null ? "" : p.protocol())));
        w.env()
                .forEach(
                        e ->
                                b.addEnv(
                                        EnvVar.newBuilder()
                                                .setName(e.name())
                                                .setValue(e.value() == null ? "" : e.value())));
        b.putAllLabels(w.labels()).putAllAnnotations(w.annotations());
        return b.build();
    }
}
