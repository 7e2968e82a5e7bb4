package dev.fedplane.scheduler;

import java.util.List;

/**
 * The weight of every cluster for the division (computed for all clusters, it is reported):
 *
 * <ul>
 *   <li>DIVIDED + STATIC_WEIGHTS: no weight entries: 1; else the largest weight of the entries
 *       whose selector matches the cluster, 0 when none does;
 *   <li>DIVIDED + DYNAMIC: the cluster's fit (at most {@link ClusterWeight#MAX_WEIGHT});
 *   <li>AGGREGATED: the cluster's cap (the taken clusters divide in proportion to it);
 *   <li>DUPLICATED: 1 (weights do not apply).
 * </ul>
 */
final class PolicyWeigher {

    static final String NAME = "weight";

    private PolicyWeigher() {}

    static int[] weights(
            ReplicaScheduling scheduling, ClusterSnapshot snapshot, long[] fit, int[] cap) {
        int n = snapshot.size();
        int[] weight = new int[n];
        switch (scheduling.type()) {
            case DUPLICATED -> java.util.Arrays.fill(weight, 1);
            case AGGREGATED -> {
                for (int i = 0; i < n; i++) {
                    weight[i] = cap[i];
                }
            }
            case DIVIDED -> {
                if (scheduling.division() == DivisionMode.DYNAMIC) {
                    for (int i = 0; i < n; i++) {
                        weight[i] = (int) Math.min(fit[i], ClusterWeight.MAX_WEIGHT);
                    }
                } else {
                    staticWeights(scheduling.weights(), snapshot, weight);
                }
            }
            default ->
                    throw new IllegalStateException("unknown scheduling type " + scheduling.type());
        }
        return weight;
    }

    private static void staticWeights(
            List<ClusterWeight> entries, ClusterSnapshot snapshot, int[] weight) {
        if (entries.isEmpty()) {
            java.util.Arrays.fill(weight, 1);
            return;
        }
        for (ClusterWeight entry : entries) {
            CompiledSelector selector = CompiledSelector.compile(entry.clusters(), snapshot);
            long value = entry.weight();
            for (int i : selector.matchingAnyOrder()) {
                if (value > weight[i]) {
                    weight[i] = (int) value;
                }
            }
        }
    }
}
