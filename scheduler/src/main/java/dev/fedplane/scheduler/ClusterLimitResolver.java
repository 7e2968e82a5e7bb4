package dev.fedplane.scheduler;

import java.util.Arrays;
import java.util.List;

/**
 * Resolves {@code clusterLimits} per cluster: of the entries matching a cluster, the largest {@code
 * minReplicas} and the smallest {@code maxReplicas} apply; a min above the max is lowered to it.
 * The cap of a feasible cluster is the smaller of its fit and its max (at most 2^31-1); its min is
 * then at most its cap. Rejected clusters have cap and min 0.
 */
final class ClusterLimitResolver {

    static final String NAME = "limits";

    /**
     * Smallest matching maxReplicas per cluster, {@link Integer#MAX_VALUE} when none; null when no
     * entry applies.
     */
    final int[] max;

    /**
     * Largest matching minReplicas per cluster (0 when none), lowered to max and then to cap; null
     * when no entry applies.
     */
    final int[] min;

    final int[] cap;

    ClusterLimitResolver(
            List<ClusterLimit> limits,
            ClusterSnapshot snapshot,
            long[] fit,
            Rejection[] rejections) {
        int n = snapshot.size();
        cap = new int[n];
        boolean any = false;
        for (ClusterLimit limit : limits) {
            any |= limit.minReplicas() != null || limit.maxReplicas() != null;
        }
        if (!any) {
            // No limits: the cap is what fits (rejected clusters 0), and no array of mins or maxes
            // is needed.
            max = null;
            min = null;
            for (int i = 0; i < n; i++) {
                cap[i] = rejections[i] == null ? (int) Math.min(fit[i], Integer.MAX_VALUE) : 0;
            }
            return;
        }
        max = new int[n];
        min = new int[n];
        Arrays.fill(max, Integer.MAX_VALUE);
        for (ClusterLimit limit : limits) {
            if (limit.minReplicas() == null && limit.maxReplicas() == null) {
                continue;
            }
            CompiledSelector selector = CompiledSelector.compile(limit.clusters(), snapshot);
            for (int i : selector.matchingAnyOrder()) {
                if (limit.maxReplicas() != null) {
                    max[i] = Math.min(max[i], limit.maxReplicas());
                }
                if (limit.minReplicas() != null) {
                    min[i] = Math.max(min[i], limit.minReplicas());
                }
            }
        }
        for (int i = 0; i < n; i++) {
            min[i] = Math.min(min[i], max[i]);
            if (rejections[i] == null) {
                cap[i] = (int) Math.min(fit[i], max[i]);
                min[i] = Math.min(min[i], cap[i]);
            } else {
                min[i] = 0;
            }
        }
    }

    /** Whether the cluster's cap comes from its maxReplicas rather than from what fits. */
    boolean cappedByMax(int i, long fit) {
        return max != null && max[i] != Integer.MAX_VALUE && max[i] < fit && cap[i] == max[i];
    }
}
