package dev.fedplane.scheduler;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member cluster as the scheduler sees it. {@code requested} is what everything else on the
 * cluster requests, not counting the app being placed (the control plane subtracts the app's own
 * pods), so the cluster's fit is the number of the app's replicas it can hold in all.
 */
public record ClusterInfo(
        String name,
        ClusterState state,
        Map<String, String> labels,
        List<Taint> taints,
        Resources allocatable,
        Resources requested,
        double costPerCpuHour) {

    /** The label that makes a cluster a cloud cluster for bursting: {@code tier=cloud}. */
    public static final String TIER_LABEL = "tier";

    public static final String CLOUD_TIER = "cloud";

    public ClusterInfo {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs a name");
        }
        if (state == null) {
            throw new IllegalArgumentException("cluster " + name + " needs a state");
        }
        labels =
                labels == null || labels.isEmpty()
                        ? Map.of()
                        : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        taints = taints == null ? List.of() : List.copyOf(taints);
        allocatable = allocatable == null ? Resources.NONE : allocatable;
        requested = requested == null ? Resources.NONE : requested;
        if (!(costPerCpuHour >= 0) || Double.isInfinite(costPerCpuHour)) {
            throw new IllegalArgumentException(
                    "cluster " + name + ": costPerCpuHour must be a non-negative number");
        }
    }

    /**
     * Whether the cluster is a cloud cluster ({@code tier=cloud}); any other cluster counts as IDC.
     */
    public boolean isCloud() {
        return CLOUD_TIER.equals(labels.get(TIER_LABEL));
    }
}
