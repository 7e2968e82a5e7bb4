package dev.fedplane.controlplane.app.grpc;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.Overrides;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.AppStatus;
import dev.fedplane.proto.v1.BurstPolicy;
import dev.fedplane.proto.v1.ClusterDecision;
import dev.fedplane.proto.v1.ClusterLimit;
import dev.fedplane.proto.v1.ClusterOverride;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.ClusterWeight;
import dev.fedplane.proto.v1.Condition;
import dev.fedplane.proto.v1.ContainerPort;
import dev.fedplane.proto.v1.EffectiveSpec;
import dev.fedplane.proto.v1.EnvVar;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.SpreadConstraint;
import dev.fedplane.proto.v1.Toleration;
import java.util.Locale;

/**
 * The only place where generated app messages meet the app domain. Unknown enum values become null
 * so the service's validation names the field.
 */
public final class GrpcAppConverters {
    private GrpcAppConverters() {}

    public static App.Spec toCore(AppSpec s) {
        return new App.Spec(
                s.getImage(),
                s.getReplicas(),
                s.getResources().getCpuMillis(),
                s.getResources().getMemoryMib(),
                s.getPortsList().stream()
                        .map(
                                p ->
                                        new App.Port(
                                                p.getName(),
                                                p.getContainerPort(),
                                                p.getProtocol().isEmpty()
                                                        ? "TCP"
                                                        : p.getProtocol().toUpperCase(Locale.ROOT)))
                        .toList(),
                s.getEnvList().stream()
                        .map(e -> new App.EnvVar(e.getName(), e.getValue()))
                        .toList(),
                toCore(s.getPlacement()),
                s.getOverridesList().stream().map(GrpcAppConverters::toCore).toList(),
                s.hasRollout()
                        ? dev.fedplane.controlplane.rollout.grpc.GrpcRolloutConverters.toCore(
                                s.getRollout())
                        : null);
    }

    static App.ClusterOverride toCore(ClusterOverride o) {
        return new App.ClusterOverride(
                o.getName(),
                GrpcCommonConverters.toCore(o.getSelector()),
                o.getImageRegistry(),
                o.getImagePrefix(),
                o.getEnvList().stream()
                        .map(e -> new App.EnvVar(e.getName(), e.getValue()))
                        .toList(),
                o.getRemoveEnvList(),
                o.getResources().getCpuMillis(),
                o.getResources().getMemoryMib(),
                o.getLabelsMap(),
                o.getAnnotationsMap(),
                o.getReplicasFloor());
    }

    static ClusterOverride toGrpc(App.ClusterOverride o) {
        ClusterOverride.Builder b =
                ClusterOverride.newBuilder()
                        .setName(o.name())
                        .setSelector(GrpcCommonConverters.toGrpc(o.selector()))
                        .setImageRegistry(o.imageRegistry())
                        .setImagePrefix(o.imagePrefix())
                        .addAllEnv(o.env().stream().map(GrpcAppConverters::toGrpc).toList())
                        .addAllRemoveEnv(o.removeEnv())
                        .putAllLabels(o.labels())
                        .putAllAnnotations(o.annotations())
                        .setReplicasFloor(o.replicasFloor());
        if (o.cpuMillis() != 0 || o.memoryMiB() != 0) {
            b.setResources(
                    Resources.newBuilder().setCpuMillis(o.cpuMillis()).setMemoryMib(o.memoryMiB()));
        }
        return b.build();
    }

    static EnvVar toGrpc(App.EnvVar e) {
        return EnvVar.newBuilder().setName(e.name()).setValue(e.value()).build();
    }

    /** One cluster's effective spec. */
    public static EffectiveSpec toGrpc(Overrides.Effective e) {
        return EffectiveSpec.newBuilder()
                .setImage(e.image())
                .setResources(
                        Resources.newBuilder()
                                .setCpuMillis(e.cpuMillis())
                                .setMemoryMib(e.memoryMiB()))
                .addAllEnv(e.env().stream().map(GrpcAppConverters::toGrpc).toList())
                .putAllLabels(e.labels())
                .putAllAnnotations(e.annotations())
                .setReplicasFloor(e.replicasFloor())
                .addAllAppliedOverrides(e.appliedOverrides())
                .build();
    }

    static App.Policy toCore(PlacementPolicy p) {
        ReplicaScheduling rs = p.getReplicaScheduling();
        App.Type type =
                switch (rs.getType()) {
                    case DUPLICATED -> App.Type.DUPLICATED;
                    case DIVIDED -> App.Type.DIVIDED;
                    case AGGREGATED -> App.Type.AGGREGATED;
                    default -> null;
                };
        App.Division division =
                switch (rs.getDivision()) {
                    case DIVISION_UNSPECIFIED, STATIC_WEIGHTS -> App.Division.STATIC_WEIGHTS;
                    case DYNAMIC -> App.Division.DYNAMIC;
                    default -> null;
                };
        return new App.Policy(
                GrpcCommonConverters.toCore(p.getClusterAffinity()),
                p.getTolerationsList().stream()
                        .map(
                                t ->
                                        new App.Toleration(
                                                t.getKey(),
                                                t.getOperator().isEmpty()
                                                        ? "Equal"
                                                        : t.getOperator(),
                                                t.getValue(),
                                                t.getEffect()))
                        .toList(),
                type,
                division,
                rs.getWeightsList().stream()
                        .map(
                                w ->
                                        new App.Weight(
                                                GrpcCommonConverters.toCore(w.getClusters()),
                                                w.getWeight()))
                        .toList(),
                p.getClusterLimitsList().stream()
                        .map(
                                l ->
                                        new App.Limit(
                                                GrpcCommonConverters.toCore(l.getClusters()),
                                                l.getMinReplicas(),
                                                l.hasMaxReplicas() ? l.getMaxReplicas() : null))
                        .toList(),
                p.getSpreadList().stream()
                        .map(s -> new App.Spread(s.getBy(), s.getMinGroups(), s.getMaxGroups()))
                        .toList(),
                p.hasBurst()
                        ? new App.Burst(
                                p.getBurst().getAllowCloud(),
                                p.getBurst().hasMaxCloudReplicas()
                                        ? p.getBurst().getMaxCloudReplicas()
                                        : null)
                        : null,
                p.getFailback());
    }

    public static dev.fedplane.proto.v1.App toGrpc(App a) {
        return dev.fedplane.proto.v1.App.newBuilder()
                .setTenant(a.tenant())
                .setName(a.name())
                .setGeneration(a.generation())
                .setSpec(toGrpc(a.spec()))
                .setStatus(toGrpc(a.status()))
                .setResourceVersion(a.resourceVersion())
                .setCreateTimeUnixMillis(a.createdAt())
                .setUpdateTimeUnixMillis(a.updatedAt())
                .build();
    }

    static AppSpec toGrpc(App.Spec s) {
        AppSpec spec =
                AppSpec.newBuilder()
                        .setImage(s.image())
                        .setReplicas(s.replicas())
                        .setResources(
                                Resources.newBuilder()
                                        .setCpuMillis(s.cpuMillis())
                                        .setMemoryMib(s.memoryMiB()))
                        .addAllPorts(
                                s.ports().stream()
                                        .map(
                                                p ->
                                                        ContainerPort.newBuilder()
                                                                .setName(p.name())
                                                                .setContainerPort(p.containerPort())
                                                                .setProtocol(p.protocol())
                                                                .build())
                                        .toList())
                        .addAllEnv(
                                s.env().stream()
                                        .map(
                                                e ->
                                                        EnvVar.newBuilder()
                                                                .setName(e.name())
                                                                .setValue(e.value())
                                                                .build())
                                        .toList())
                        .setPlacement(toGrpc(s.placement()))
                        .addAllOverrides(
                                s.overrides().stream().map(GrpcAppConverters::toGrpc).toList())
                        .build();
        if (s.rollout() != null) {
            spec =
                    spec.toBuilder()
                            .setRollout(
                                    dev.fedplane.controlplane.rollout.grpc.GrpcRolloutConverters
                                            .toGrpc(s.rollout()))
                            .build();
        }
        return spec;
    }

    static PlacementPolicy toGrpc(App.Policy p) {
        PlacementPolicy.Builder b =
                PlacementPolicy.newBuilder()
                        .setClusterAffinity(GrpcCommonConverters.toGrpc(p.clusterAffinity()))
                        .addAllTolerations(
                                p.tolerations().stream()
                                        .map(
                                                t ->
                                                        Toleration.newBuilder()
                                                                .setKey(t.key())
                                                                .setOperator(t.operator())
                                                                .setValue(t.value())
                                                                .setEffect(t.effect())
                                                                .build())
                                        .toList())
                        .setReplicaScheduling(
                                ReplicaScheduling.newBuilder()
                                        .setType(ReplicaScheduling.Type.valueOf(p.type().name()))
                                        .setDivision(
                                                ReplicaScheduling.Division.valueOf(
                                                        p.division().name()))
                                        .addAllWeights(
                                                p.weights().stream()
                                                        .map(
                                                                w ->
                                                                        ClusterWeight.newBuilder()
                                                                                .setClusters(
                                                                                        GrpcCommonConverters
                                                                                                .toGrpc(
                                                                                                        w
                                                                                                                .clusters()))
                                                                                .setWeight(
                                                                                        w.weight())
                                                                                .build())
                                                        .toList()))
                        .addAllClusterLimits(
                                p.clusterLimits().stream()
                                        .map(
                                                l -> {
                                                    ClusterLimit.Builder lb =
                                                            ClusterLimit.newBuilder()
                                                                    .setClusters(
                                                                            GrpcCommonConverters
                                                                                    .toGrpc(
                                                                                            l
                                                                                                    .clusters()))
                                                                    .setMinReplicas(
                                                                            l.minReplicas());
                                                    if (l.maxReplicas() != null) {
                                                        lb.setMaxReplicas(l.maxReplicas());
                                                    }
                                                    return lb.build();
                                                })
                                        .toList())
                        .addAllSpread(
                                p.spread().stream()
                                        .map(
                                                s ->
                                                        SpreadConstraint.newBuilder()
                                                                .setBy(s.by())
                                                                .setMinGroups(s.minGroups())
                                                                .setMaxGroups(s.maxGroups())
                                                                .build())
                                        .toList())
                        .setFailback(p.failback());
        if (p.burst() != null) {
            BurstPolicy.Builder bb = BurstPolicy.newBuilder().setAllowCloud(p.burst().allowCloud());
            if (p.burst().maxCloudReplicas() != null) {
                bb.setMaxCloudReplicas(p.burst().maxCloudReplicas());
            }
            b.setBurst(bb);
        }
        return b.build();
    }

    /**
     * {@code e} with each still-registered cluster's effective spec ({@code effective} by cluster
     * name).
     */
    static dev.fedplane.proto.v1.Explanation toGrpc(
            Explanation e, java.util.Map<String, Overrides.Effective> effective) {
        dev.fedplane.proto.v1.Explanation.Builder b = toGrpc(e).toBuilder();
        for (ClusterDecision.Builder d : b.getClustersBuilderList()) {
            Overrides.Effective eff = effective.get(d.getCluster());
            if (eff != null) {
                d.setEffective(toGrpc(eff));
            }
        }
        return b.build();
    }

    static dev.fedplane.proto.v1.Explanation toGrpc(Explanation e) {
        return dev.fedplane.proto.v1.Explanation.newBuilder()
                .addAllPlacements(
                        e.placements().stream()
                                .map(
                                        p ->
                                                ClusterReplicas.newBuilder()
                                                        .setCluster(p.cluster())
                                                        .setDesired(p.replicas())
                                                        .build())
                                .toList())
                .setUnschedulable(e.unschedulable())
                .setUnschedulableReason(e.unschedulableReason())
                .addAllClusters(
                        e.clusters().stream()
                                .map(
                                        d ->
                                                ClusterDecision.newBuilder()
                                                        .setCluster(d.cluster())
                                                        .setFeasible(d.feasible())
                                                        .setReason(
                                                                d.reason() == null
                                                                        ? ""
                                                                        : d.reason())
                                                        .setWeight(
                                                                (int)
                                                                        Math.min(
                                                                                Integer.MAX_VALUE,
                                                                                d.weight()))
                                                        .setFit(d.fit())
                                                        .setScore(d.score())
                                                        .setReplicas(d.replicas())
                                                        .setNote(d.note() == null ? "" : d.note())
                                                        .build())
                                .toList())
                .setGeneration(e.generation())
                .setComputedUnixMillis(e.computedAt())
                .build();
    }

    static AppStatus toGrpc(App.Status s) {
        return AppStatus.newBuilder()
                .setObservedGeneration(s.observedGeneration())
                .addAllClusters(
                        s.clusters().stream()
                                .map(
                                        c ->
                                                ClusterReplicas.newBuilder()
                                                        .setCluster(c.cluster())
                                                        .setDesired(c.desired())
                                                        .setReady(c.ready())
                                                        .build())
                                .toList())
                .addAllConditions(
                        s.conditions().stream()
                                .map(
                                        c ->
                                                Condition.newBuilder()
                                                        .setType(c.type())
                                                        .setStatus(c.status())
                                                        .setReason(c.reason())
                                                        .setMessage(c.message())
                                                        .setLastTransitionUnixMillis(
                                                                c.lastTransition())
                                                        .build())
                                .toList())
                .setUnschedulable(s.unschedulable())
                .setUnschedulableReason(s.unschedulableReason())
                .build();
    }
}
