package dev.fedplane.scheduler;

/** A weight entry: clusters matching the selector weigh {@code weight} (the largest match wins). */
public record ClusterWeight(ClusterSelector clusters, long weight) {

    /** Weights are bounded so that the exact division arithmetic stays in 64 bits. */
    public static final long MAX_WEIGHT = Integer.MAX_VALUE;

    public ClusterWeight {
        clusters = clusters == null ? ClusterSelector.ALL : clusters;
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException(
                    "weight must be between 0 and " + MAX_WEIGHT + ": " + weight);
        }
    }

    public static ClusterWeight of(ClusterSelector clusters, long weight) {
        return new ClusterWeight(clusters, weight);
    }
}
