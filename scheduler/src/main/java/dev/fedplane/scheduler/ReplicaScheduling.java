package dev.fedplane.scheduler;

import java.util.List;

/** The division mode: {@code type}, for DIVIDED the {@code division}, and the static weights. */
public record ReplicaScheduling(
        SchedulingType type, DivisionMode division, List<ClusterWeight> weights) {

    public ReplicaScheduling {
        if (type == null) {
            throw new IllegalArgumentException("replicaScheduling needs a type");
        }
        division = division == null ? DivisionMode.STATIC_WEIGHTS : division;
        weights = weights == null ? List.of() : List.copyOf(weights);
    }

    public static ReplicaScheduling duplicated() {
        return new ReplicaScheduling(SchedulingType.DUPLICATED, null, null);
    }

    public static ReplicaScheduling aggregated() {
        return new ReplicaScheduling(SchedulingType.AGGREGATED, null, null);
    }

    public static ReplicaScheduling dynamic() {
        return new ReplicaScheduling(SchedulingType.DIVIDED, DivisionMode.DYNAMIC, null);
    }

    public static ReplicaScheduling staticWeights(ClusterWeight... weights) {
        return new ReplicaScheduling(
                SchedulingType.DIVIDED, DivisionMode.STATIC_WEIGHTS, List.of(weights));
    }
}
