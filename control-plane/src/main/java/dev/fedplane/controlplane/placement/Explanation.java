package dev.fedplane.controlplane.placement;

import java.util.List;

/** Where an app runs or would run, and why, cluster by cluster. Immutable. */
public record Explanation(
        List<Share> placements,
        int unschedulable,
        String unschedulableReason,
        List<Decision> clusters,
        long generation,
        long computedAt) {

    public record Share(String cluster, int replicas) {}

    /** One cluster's verdict: {@code reason} is null when feasible. */
    public record Decision(
            String cluster,
            boolean feasible,
            String reason,
            long weight,
            long fit,
            double score,
            int replicas,
            String note) {}
}
