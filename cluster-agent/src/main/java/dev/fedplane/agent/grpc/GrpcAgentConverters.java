package dev.fedplane.agent.grpc;

import dev.fedplane.agent.AgentConfig;
import dev.fedplane.agent.apply.DesiredChange;
import dev.fedplane.agent.apply.NamespaceSpec;
import dev.fedplane.agent.apply.WorkloadKey;
import dev.fedplane.agent.apply.WorkloadSpec;
import dev.fedplane.agent.capacity.Amounts;
import dev.fedplane.agent.capacity.CapacitySnapshot;
import dev.fedplane.agent.status.WorkloadStatus;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.Condition;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.CrossTenantRule;
import dev.fedplane.proto.v1.DesiredState;
import dev.fedplane.proto.v1.DesiredStateDelta;
import dev.fedplane.proto.v1.NetworkRules;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Taint;
import dev.fedplane.proto.v1.TenantNamespace;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadStatusReport;
import java.util.List;
import java.util.Optional;

/** The only place where generated {@code fedplane.v1} types meet the agent's own records. */
public final class GrpcAgentConverters {

    private GrpcAgentConverters() {}

    public static Resources toGrpc(Amounts a) {
        return Resources.newBuilder()
                .setCpuMillis(a.cpuMillis())
                .setMemoryMib(a.memoryMib())
                .setPods(a.pods())
                .build();
    }

    public static ClusterCapacity toGrpc(CapacitySnapshot c) {
        return ClusterCapacity.newBuilder()
                .setAllocatable(toGrpc(c.allocatable()))
                .setRequested(toGrpc(c.requested()))
                .setFree(toGrpc(c.free()))
                .setManagedRequested(toGrpc(c.managedRequested()))
                .build();
    }

    public static Taint toGrpc(AgentConfig.TaintSpec t) {
        return Taint.newBuilder().setKey(t.key()).setValue(t.value()).setEffect(t.effect()).build();
    }

    public static WorkloadStatusReport toGrpc(List<WorkloadStatus> statuses) {
        WorkloadStatusReport.Builder report = WorkloadStatusReport.newBuilder();
        for (WorkloadStatus s : statuses) {
            dev.fedplane.proto.v1.WorkloadStatus.Builder w =
                    dev.fedplane.proto.v1.WorkloadStatus.newBuilder()
                            .setTenant(s.tenant())
                            .setApp(s.app())
                            .setDesiredReplicas(s.desiredReplicas())
                            .setReadyReplicas(s.readyReplicas())
                            .setRevision(s.revision())
                            .setUpdatedReplicas(s.updatedReplicas())
                            .setAvailableReplicas(s.availableReplicas());
            for (WorkloadStatus.Condition c : s.conditions()) {
                w.addConditions(
                        Condition.newBuilder()
                                .setType(c.type())
                                .setStatus(c.status())
                                .setReason(c.reason())
                                .setMessage(c.message())
                                .setLastTransitionUnixMillis(c.lastTransitionUnixMillis()));
            }
            report.addWorkloads(w);
        }
        return report.build();
    }

    /**
     * The change a control message carries; empty when it carries neither full nor delta (a
     * heartbeat ack carries no state).
     */
    public static Optional<DesiredChange> toCore(ControlMessage message) {
        return switch (message.getKindCase()) {
            case FULL -> Optional.of(toCore(message.getFull()));
            case DELTA -> Optional.of(toCore(message.getDelta()));
            case HEARTBEAT_ACK, KIND_NOT_SET -> Optional.empty();
        };
    }

    public static DesiredChange.Full toCore(DesiredState state) {
        return new DesiredChange.Full(
                state.getNamespacesList().stream().map(GrpcAgentConverters::toCore).toList(),
                state.getWorkloadsList().stream().map(GrpcAgentConverters::toCore).toList());
    }

    public static DesiredChange.Delta toCore(DesiredStateDelta delta) {
        return new DesiredChange.Delta(
                delta.getUpsertNamespacesList().stream().map(GrpcAgentConverters::toCore).toList(),
                List.copyOf(delta.getRemoveNamespacesList()),
                delta.getUpsertWorkloadsList().stream().map(GrpcAgentConverters::toCore).toList(),
                delta.getRemoveWorkloadsList().stream()
                        .map(k -> new WorkloadKey(k.getTenant(), k.getApp()))
                        .toList());
    }

    public static NamespaceSpec toCore(TenantNamespace ns) {
        Resources q = ns.getQuota();
        return new NamespaceSpec(
                ns.getTenant(),
                ns.getLabelsMap(),
                new NamespaceSpec.QuotaSpec(q.getCpuMillis(), q.getMemoryMib(), q.getPods()),
                toCore(ns.getNetwork()));
    }

    /**
     * Cross-tenant rules without a direction (unspecified, or unknown to this agent) are dropped.
     */
    public static NamespaceSpec.NetworkSpec toCore(NetworkRules rules) {
        return new NamespaceSpec.NetworkSpec(
                rules.getEgressList().stream()
                        .map(
                                e ->
                                        new NamespaceSpec.EgressRule(
                                                e.getCidr(), e.getPort(), e.getProtocol()))
                        .toList(),
                rules.getCrossTenantList().stream()
                        .filter(
                                c ->
                                        c.getDirection() == CrossTenantRule.Direction.EGRESS
                                                || c.getDirection()
                                                        == CrossTenantRule.Direction.INGRESS)
                        .map(
                                c ->
                                        new NamespaceSpec.CrossTenantRule(
                                                c.getDirection() == CrossTenantRule.Direction.EGRESS
                                                        ? NamespaceSpec.CrossTenantRule.Direction
                                                                .EGRESS
                                                        : NamespaceSpec.CrossTenantRule.Direction
                                                                .INGRESS,
                                                c.getPeerTenant(),
                                                c.getApp(),
                                                c.getPort()))
                        .toList());
    }

    public static WorkloadSpec toCore(Workload w) {
        return new WorkloadSpec(
                w.getTenant(),
                w.getApp(),
                w.getAppGeneration(),
                w.getImage(),
                w.getReplicas(),
                w.getResources().getCpuMillis(),
                w.getResources().getMemoryMib(),
                w.getPortsList().stream()
                        .map(
                                p ->
                                        new WorkloadSpec.Port(
                                                p.getName(), p.getContainerPort(), p.getProtocol()))
                        .toList(),
                w.getEnvList().stream()
                        .map(e -> new WorkloadSpec.Env(e.getName(), e.getValue()))
                        .toList(),
                w.getRevision(),
                w.getMaxSurge(),
                w.getMaxUnavailable(),
                w.getLabelsMap(),
                w.getAnnotationsMap());
    }
}
