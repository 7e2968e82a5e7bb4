package dev.fedplane.scheduler;

import java.util.List;

/**
 * Where and how an app's replicas may go. Only {@code replicaScheduling} is required; a null {@code
 * clusterAffinity} matches every cluster and a null {@code burst} means tiers are not special.
 */
public record PlacementPolicy(
        ClusterSelector clusterAffinity,
        List<Toleration> tolerations,
        ReplicaScheduling replicaScheduling,
        List<ClusterLimit> clusterLimits,
        List<SpreadConstraint> spread,
        BurstPolicy burst) {

    public PlacementPolicy {
        clusterAffinity = clusterAffinity == null ? ClusterSelector.ALL : clusterAffinity;
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        if (replicaScheduling == null) {
            throw new IllegalArgumentException("a placement policy needs replicaScheduling");
        }
        clusterLimits = clusterLimits == null ? List.of() : List.copyOf(clusterLimits);
        spread = spread == null ? List.of() : List.copyOf(spread);
    }

    public static PlacementPolicy of(ReplicaScheduling replicaScheduling) {
        return new PlacementPolicy(null, null, replicaScheduling, null, null, null);
    }

    public PlacementPolicy withClusterAffinity(ClusterSelector affinity) {
        return new PlacementPolicy(
                affinity, tolerations, replicaScheduling, clusterLimits, spread, burst);
    }

    public PlacementPolicy withTolerations(Toleration... values) {
        return new PlacementPolicy(
                clusterAffinity, List.of(values), replicaScheduling, clusterLimits, spread, burst);
    }

    public PlacementPolicy withClusterLimits(ClusterLimit... values) {
        return new PlacementPolicy(
                clusterAffinity, tolerations, replicaScheduling, List.of(values), spread, burst);
    }

    public PlacementPolicy withSpread(SpreadConstraint... values) {
        return new PlacementPolicy(
                clusterAffinity,
                tolerations,
                replicaScheduling,
                clusterLimits,
                List.of(values),
                burst);
    }

    public PlacementPolicy withBurst(BurstPolicy value) {
        return new PlacementPolicy(
                clusterAffinity, tolerations, replicaScheduling, clusterLimits, spread, value);
    }
}
