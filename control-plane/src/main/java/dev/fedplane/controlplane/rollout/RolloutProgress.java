package dev.fedplane.controlplane.rollout;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a rollout is: the current stage (an index; the number of stages once all passed), every
 * cluster sent the new revision with when ({@code started}; across stages, so a cluster keeps it
 * whatever its labels become), when each first finished ({@code finished}), since when the current
 * stage has been all updated and ready ({@code readySince}, 0: not), whether its gate was approved,
 * and what each cluster's agent last reported ({@code observed}, so that any instance can show it).
 * Immutable; stored as JSON.
 */
public record RolloutProgress(
        int stage,
        Map<String, Long> started,
        Map<String, Long> finished,
        long readySince,
        boolean approved,
        Map<String, Observed> observed,
        String failedCluster) {

    public static final RolloutProgress START =
            new RolloutProgress(0, Map.of(), Map.of(), 0, false, Map.of(), "");

    public RolloutProgress {
        started = sorted(started);
        finished = sorted(finished);
        observed = sorted(observed);
        failedCluster = failedCluster == null ? "" : failedCluster;
    }

    /** A cluster's last report of the app: revision, desired, updated, ready, available. */
    public record Observed(long revision, int desired, int updated, int ready, int available) {}

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
