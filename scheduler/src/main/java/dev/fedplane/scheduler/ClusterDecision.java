package dev.fedplane.scheduler;

/**
 * The explanation of one cluster in a placement. {@code rejection} is null exactly when the cluster
 * is feasible. {@code weight} is the weight the division used (STATIC_WEIGHTS: the largest matching
 * entry, 0 if none; DYNAMIC: the fit; AGGREGATED: the cap; DUPLICATED: 1); {@code fit} is how many
 * replicas fit in the cluster's free capacity; {@code score} orders clusters and groups (higher is
 * better); {@code note} says, when there is something to say, why a feasible cluster got fewer
 * replicas than it could (e.g. weight 0, excluded by maxGroups, tenant quota).
 */
public record ClusterDecision(
        String cluster,
        Rejection rejection,
        long weight,
        long fit,
        double score,
        int replicas,
        String note) {

    /**
     * How a DUPLICATED app's note starts on a feasible cluster whose copy the tenant quota
     * withheld.
     */
    public static final String QUOTA_WITHHELD_NOTE = "tenant quota allows ";

    /** Whether the tenant quota withheld this (feasible) cluster's copy of a DUPLICATED app. */
    public boolean quotaWithheld() {
        return note != null && note.startsWith(QUOTA_WITHHELD_NOTE);
    }

    public boolean feasible() {
        return rejection == null;
    }

    /** The rejection reason in words, or null when feasible. */
    public String reason() {
        return rejection == null ? null : rejection.reason();
    }
}
