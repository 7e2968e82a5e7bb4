package dev.fedplane.scheduler;

/**
 * IDC-first bursting: replicas go to clusters whose {@code tier} is not {@code cloud} first; only
 * what they cannot hold goes to cloud clusters, at most {@code maxCloudReplicas} (null: no limit),
 * none when {@code allowCloud} is false.
 */
public record BurstPolicy(boolean allowCloud, Integer maxCloudReplicas) {

    public BurstPolicy {
        if (maxCloudReplicas != null && maxCloudReplicas < 0) {
            throw new IllegalArgumentException("maxCloudReplicas must not be negative");
        }
    }

    public static BurstPolicy of(boolean allowCloud, Integer maxCloudReplicas) {
        return new BurstPolicy(allowCloud, maxCloudReplicas);
    }

    /** How many of {@code overflow} replicas the cloud may take. */
    int cloudAllowance(int overflow) {
        if (!allowCloud) {
            return 0;
        }
        return maxCloudReplicas == null ? overflow : Math.min(overflow, maxCloudReplicas);
    }
}
