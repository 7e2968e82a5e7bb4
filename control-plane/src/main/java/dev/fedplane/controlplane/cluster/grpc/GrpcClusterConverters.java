package dev.fedplane.controlplane.cluster.grpc;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.Taint;

/** The only place where generated cluster messages meet the cluster domain. */
public final class GrpcClusterConverters {
    private GrpcClusterConverters() {}

    /**
     * The request's state becomes the health (validated by the service); UNSPECIFIED means PENDING.
     */
    public static Cluster toCore(dev.fedplane.proto.v1.Cluster c) {
        Cluster.Health health =
                switch (c.getState()) {
                    case CLUSTER_STATE_UNSPECIFIED, PENDING -> Cluster.Health.PENDING;
                    case READY -> Cluster.Health.READY;
                    case NOT_READY -> Cluster.Health.NOT_READY;
                    case LOST -> Cluster.Health.LOST;
                    default ->
                            Cluster.Health
                                    .LOST; // CORDONED/DRAINING/unknown: rejected by create's state
                        // check
                };
        return new Cluster(
                c.getName(),
                c.getLabelsMap(),
                c.getTaintsList().stream()
                        .map(t -> new Cluster.Taint(t.getKey(), t.getValue(), t.getEffect()))
                        .toList(),
                health,
                c.getState() == ClusterState.CORDONED || c.getState() == ClusterState.DRAINING,
                c.getState() == ClusterState.DRAINING,
                GrpcCommonConverters.toCore(c.getCapacity().getAllocatable()),
                GrpcCommonConverters.toCore(c.getCapacity().getRequested()),
                GrpcCommonConverters.toCore(c.getCapacity().getManagedRequested()),
                c.getCostPerCpuHour(),
                c.getAgentVersion(),
                c.getKubernetesVersion(),
                0,
                0,
                c.getResourceVersion(),
                0,
                0);
    }

    public static dev.fedplane.proto.v1.Cluster toGrpc(Cluster c) {
        return dev.fedplane.proto.v1.Cluster.newBuilder()
                .setName(c.name())
                .putAllLabels(c.labels())
                .addAllTaints(
                        c.taints().stream()
                                .map(
                                        t ->
                                                Taint.newBuilder()
                                                        .setKey(t.key())
                                                        .setValue(t.value())
                                                        .setEffect(t.effect())
                                                        .build())
                                .toList())
                .setState(ClusterState.valueOf(c.state().name()))
                .setCordoned(c.cordoned())
                .setDraining(c.draining())
                .setCapacity(
                        ClusterCapacity.newBuilder()
                                .setAllocatable(GrpcCommonConverters.toGrpc(c.allocatable()))
                                .setRequested(GrpcCommonConverters.toGrpc(c.requested()))
                                .setFree(GrpcCommonConverters.toGrpc(c.free()))
                                .setManagedRequested(
                                        GrpcCommonConverters.toGrpc(c.managedRequested())))
                .setCostPerCpuHour(c.costPerCpuHour())
                .setAgentVersion(c.agentVersion())
                .setKubernetesVersion(c.kubernetesVersion())
                .setLastHeartbeatUnixMillis(c.lastHeartbeat())
                .setResourceVersion(c.resourceVersion())
                .setCreateTimeUnixMillis(c.createdAt())
                .setUpdateTimeUnixMillis(c.updatedAt())
                .build();
    }
}
