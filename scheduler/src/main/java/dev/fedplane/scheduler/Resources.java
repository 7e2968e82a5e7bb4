package dev.fedplane.scheduler;

/**
 * A quantity of the three resources the scheduler counts: CPU in millicores, memory in MiB and
 * pods. Used for a cluster's allocatable and requested capacity and for an app's per-replica
 * request (where {@code pods} is ignored: one replica is always one pod).
 */
public record Resources(long cpuMillis, long memoryMiB, long pods) {

    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources {
        if (cpuMillis < 0 || memoryMiB < 0 || pods < 0) {
            throw new IllegalArgumentException(
                    "resources must not be negative: "
                            + cpuMillis
                            + "m, "
                            + memoryMiB
                            + "Mi, "
                            + pods
                            + " pods");
        }
    }

    public static Resources of(long cpuMillis, long memoryMiB, long pods) {
        return new Resources(cpuMillis, memoryMiB, pods);
    }

    /** A per-replica request: the pod count is implied (one per replica). */
    public static Resources perReplica(long cpuMillis, long memoryMiB) {
        return new Resources(cpuMillis, memoryMiB, 0);
    }
}
