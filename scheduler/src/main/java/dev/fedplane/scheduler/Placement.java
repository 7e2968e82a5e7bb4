package dev.fedplane.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's decision for one app. {@code placements}: clusters given at least one replica,
 * sorted by name. {@code unschedulable}: replicas placed nowhere; {@code unschedulableReason} says
 * which constraint, in words, whenever it is above 0 (null otherwise). {@code clusters}: every
 * input cluster, sorted by name, with its explanation.
 */
public record Placement(
        List<ClusterReplicas> placements,
        int unschedulable,
        String unschedulableReason,
        List<ClusterDecision> clusters) {

    public Placement {
        // The pipeline's PlacementList is already immutable (and lazy); anything else is copied.
        placements = placements instanceof PlacementList ? placements : List.copyOf(placements);
        // The pipeline's DecisionList is already immutable (and lazy); anything else is copied.
        clusters = clusters instanceof DecisionList ? clusters : List.copyOf(clusters);
    }

    /** Cluster name to replicas, clusters with replicas only, in name order. */
    public Map<String, Integer> asMap() {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (ClusterReplicas p : placements) {
            map.put(p.cluster(), p.replicas());
        }
        return map;
    }

    /** Replicas given to the cluster (0 when none or unknown). */
    public int replicasOf(String cluster) {
        for (ClusterReplicas p : placements) {
            if (p.cluster().equals(cluster)) {
                return p.replicas();
            }
        }
        return 0;
    }

    public int placedReplicas() {
        int sum = 0;
        for (ClusterReplicas p : placements) {
            sum += p.replicas();
        }
        return sum;
    }

    /** The decision for one cluster, or null when the cluster was not in the input. */
    public ClusterDecision decisionOf(String cluster) {
        for (ClusterDecision d : clusters) {
            if (d.cluster().equals(cluster)) {
                return d;
            }
        }
        return null;
    }
}
