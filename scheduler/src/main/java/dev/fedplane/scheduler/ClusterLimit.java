package dev.fedplane.scheduler;

/**
 * Per-cluster replica limits for the clusters the selector matches. Null is "no limit". Several
 * entries matching one cluster: the largest min and the smallest max apply; a min above the max is
 * lowered to it, a min above what fits is capped by what fits.
 */
public record ClusterLimit(ClusterSelector clusters, Integer minReplicas, Integer maxReplicas) {

    public ClusterLimit {
        clusters = clusters == null ? ClusterSelector.ALL : clusters;
        if ((minReplicas != null && minReplicas < 0) || (maxReplicas != null && maxReplicas < 0)) {
            throw new IllegalArgumentException("replica limits must not be negative");
        }
        if (minReplicas != null && maxReplicas != null && minReplicas > maxReplicas) {
            minReplicas = maxReplicas;
        }
    }

    public static ClusterLimit of(
            ClusterSelector clusters, Integer minReplicas, Integer maxReplicas) {
        return new ClusterLimit(clusters, minReplicas, maxReplicas);
    }
}
