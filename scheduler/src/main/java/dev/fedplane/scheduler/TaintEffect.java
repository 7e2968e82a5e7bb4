package dev.fedplane.scheduler;

/**
 * Effect of a cluster taint, spelled as in Kubernetes. {@code NoSchedule} and {@code NoExecute}
 * keep untolerating apps off the cluster; {@code PreferNoSchedule} never filters.
 */
public enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute;

    /** Whether an untolerated taint with this effect rejects the cluster. */
    public boolean filters() {
        return this != PreferNoSchedule;
    }
}
