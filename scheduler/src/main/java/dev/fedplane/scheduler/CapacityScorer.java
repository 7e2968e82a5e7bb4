package dev.fedplane.scheduler;

/**
 * The score of a cluster (higher is better): the mean of the free fractions {@code (allocatable -
 * requested) / allocatable} of CPU and memory, over those with allocatable above 0 (0 when
 * neither), minus {@code costPerCpuHour / 1000}. It depends on the cluster only, so the {@link
 * ClusterSnapshot} computes it once. Scores order groups and clusters; equal scores go by the app's
 * tie key, then name ({@link ClusterOrder}).
 */
final class CapacityScorer {

    static final String NAME = "capacity";

    private CapacityScorer() {}

    static double score(ClusterInfo c) {
        double sum = 0;
        int parts = 0;
        if (c.allocatable().cpuMillis() > 0) {
            sum +=
                    (double) (c.allocatable().cpuMillis() - c.requested().cpuMillis())
                            / c.allocatable().cpuMillis();
            parts++;
        }
        if (c.allocatable().memoryMiB() > 0) {
            sum +=
                    (double) (c.allocatable().memoryMiB() - c.requested().memoryMiB())
                            / c.allocatable().memoryMiB();
            parts++;
        }
        double free = parts == 0 ? 0 : sum / parts;
        return free - c.costPerCpuHour() / 1000.0;
    }
}
