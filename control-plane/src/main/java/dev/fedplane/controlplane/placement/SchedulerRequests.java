package dev.fedplane.controlplane.placement;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.Overrides;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.scheduler.AppSpec;
import dev.fedplane.scheduler.BurstPolicy;
import dev.fedplane.scheduler.ClusterInfo;
import dev.fedplane.scheduler.ClusterLimit;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.ClusterState;
import dev.fedplane.scheduler.ClusterWeight;
import dev.fedplane.scheduler.DivisionMode;
import dev.fedplane.scheduler.LabelRequirement;
import dev.fedplane.scheduler.PlacementPolicy;
import dev.fedplane.scheduler.PlacementRequest;
import dev.fedplane.scheduler.ReplicaScheduling;
import dev.fedplane.scheduler.Resources;
import dev.fedplane.scheduler.SchedulingType;
import dev.fedplane.scheduler.SelectorOperator;
import dev.fedplane.scheduler.SpreadConstraint;
import dev.fedplane.scheduler.Taint;
import dev.fedplane.scheduler.TaintEffect;
import dev.fedplane.scheduler.TenantQuota;
import dev.fedplane.scheduler.TenantUsage;
import dev.fedplane.scheduler.Toleration;
import dev.fedplane.scheduler.TolerationOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one mapping between the control plane's domain and the scheduler library's records. Values
 * the API validated map one to one; nothing is defaulted here that the API did not default.
 */
public final class SchedulerRequests {
    private SchedulerRequests() {}

    /**
     * The scheduler's view of every cluster, as one snapshot to share across the apps of one pass.
     */
    public static ClusterSnapshot snapshot(List<Cluster> clusters) {
        return ClusterSnapshot.of(clusters.stream().map(SchedulerRequests::toScheduler).toList());
    }

    /**
     * One app's request. {@code othersUsage} is what the tenant's other apps use (the quota the app
     * may still take is the tenant's quota minus it); {@code current} is the app's current
     * placement under the same policy, or null for a fresh one.
     */
    public static PlacementRequest request(
            App app,
            Tenant tenant,
            ClusterSnapshot clusters,
            Quantities othersUsage,
            Map<String, Integer> current) {
        App.Spec s = app.spec();
        AppSpec spec =
                new AppSpec(
                        app.tenant(),
                        app.name(),
                        s.replicas(),
                        Resources.perReplica(s.cpuMillis(), s.memoryMiB()),
                        withFloors(toScheduler(s.placement()), s, clusters));
        Tenant.Quota q = tenant.quota();
        TenantQuota quota =
                q.cpuMillis() == null && q.memoryMiB() == null && q.replicas() == null
                        ? null
                        : new TenantQuota(q.cpuMillis(), q.memoryMiB(), q.replicas());
        return new PlacementRequest(
                spec,
                clusters,
                current,
                new TenantUsage(
                        othersUsage.cpuMillis(), othersUsage.memoryMiB(), othersUsage.pods()),
                quota,
                tenant.allowedClusters().isEmpty() ? null : toScheduler(tenant.allowedClusters()));
    }

    /**
     * {@code policy} with the overrides' replicas floors as per-cluster {@code minReplicas}: one
     * limit entry per distinct floor, naming the clusters whose last matching override sets it (so
     * a later override's smaller floor wins over an earlier larger one, docs/overrides.md). The
     * scheduler takes the largest matching min, so a floor and the policy's own limits combine as
     * the larger of both, lowered to the max and to what fits.
     */
    static PlacementPolicy withFloors(
            PlacementPolicy policy, App.Spec spec, ClusterSnapshot clusters) {
        if (!Overrides.hasFloors(spec)) {
            return policy;
        }
        Map<Integer, List<String>> byFloor = new TreeMap<>();
        for (ClusterInfo c : clusters.clusters()) {
            int floor = Overrides.floor(spec, c.name(), c.labels());
            if (floor > 0) {
                byFloor.computeIfAbsent(floor, f -> new ArrayList<>()).add(c.name());
            }
        }
        if (byFloor.isEmpty()) {
            return policy;
        }
        List<ClusterLimit> limits = new ArrayList<>(policy.clusterLimits());
        byFloor.forEach(
                (floor, names) ->
                        limits.add(
                                new ClusterLimit(
                                        new dev.fedplane.scheduler.ClusterSelector(
                                                names, Map.of(), List.of()),
                                        floor,
                                        null)));
        return policy.withClusterLimits(limits.toArray(ClusterLimit[]::new));
    }

    static ClusterInfo toScheduler(Cluster c) {
        return toScheduler(c, c.requested());
    }

    /**
     * The scheduler's view of {@code c} with {@code requested} as what already runs there (the
     * reconciler counts Fedplane's own workloads from its placements, not from the agent's report).
     */
    public static ClusterInfo toScheduler(Cluster c, Quantities requested) {
        return new ClusterInfo(
                c.name(),
                ClusterState.valueOf(c.state().name()),
                c.labels(),
                c.taints().stream()
                        .map(t -> new Taint(t.key(), t.value(), TaintEffect.valueOf(t.effect())))
                        .toList(),
                new Resources(
                        c.allocatable().cpuMillis(),
                        c.allocatable().memoryMiB(),
                        c.allocatable().pods()),
                new Resources(requested.cpuMillis(), requested.memoryMiB(), requested.pods()),
                c.costPerCpuHour());
    }

    static PlacementPolicy toScheduler(App.Policy p) {
        ReplicaScheduling rs =
                new ReplicaScheduling(
                        SchedulingType.valueOf(p.type().name()),
                        DivisionMode.valueOf(p.division().name()),
                        p.weights().stream()
                                .map(w -> new ClusterWeight(toScheduler(w.clusters()), w.weight()))
                                .toList());
        return new PlacementPolicy(
                toScheduler(p.clusterAffinity()),
                p.tolerations().stream()
                        .map(
                                t ->
                                        new Toleration(
                                                t.key(),
                                                TolerationOperator.valueOf(t.operator()),
                                                t.value(),
                                                t.effect().isEmpty()
                                                        ? null
                                                        : TaintEffect.valueOf(t.effect())))
                        .toList(),
                rs,
                p.clusterLimits().stream()
                        .map(
                                l ->
                                        new ClusterLimit(
                                                toScheduler(l.clusters()),
                                                l.minReplicas() == 0 ? null : l.minReplicas(),
                                                l.maxReplicas()))
                        .toList(),
                p.spread().stream()
                        .map(
                                sp ->
                                        new SpreadConstraint(
                                                sp.by(),
                                                sp.minGroups(),
                                                sp.maxGroups() == 0 ? null : sp.maxGroups()))
                        .toList(),
                p.burst() == null
                        ? null
                        : new BurstPolicy(p.burst().allowCloud(), p.burst().maxCloudReplicas()));
    }

    static dev.fedplane.scheduler.ClusterSelector toScheduler(ClusterSelector s) {
        return new dev.fedplane.scheduler.ClusterSelector(
                s.names().isEmpty() ? null : s.names(),
                s.matchLabels(),
                s.matchExpressions().stream()
                        .map(
                                r ->
                                        new LabelRequirement(
                                                r.key(),
                                                switch (r.operator()) {
                                                    case IN -> SelectorOperator.In;
                                                    case NOT_IN -> SelectorOperator.NotIn;
                                                    case EXISTS -> SelectorOperator.Exists;
                                                    case DOES_NOT_EXIST ->
                                                            SelectorOperator.DoesNotExist;
                                                },
                                                r.values()))
                        .toList());
    }
}
