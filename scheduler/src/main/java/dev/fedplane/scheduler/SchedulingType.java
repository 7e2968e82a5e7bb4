package dev.fedplane.scheduler;

/** How an app's replicas are spread over the selected clusters. */
public enum SchedulingType {
    /** Every feasible cluster runs all replicas. */
    DUPLICATED,
    /** The replicas are divided among clusters by weight (bounded proportional division). */
    DIVIDED,
    /** As few clusters as possible, largest cap first. */
    AGGREGATED
}
