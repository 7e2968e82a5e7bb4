package dev.fedplane.scheduler;

/**
 * Resource fit. The fit of a cluster is how many replicas it can hold: the minimum over CPU, memory
 * and pods of {@code floor(free / per-replica request)}, where free is allocatable minus requested
 * (never below 0), a resource requested 0 per replica does not limit, and every replica is one pod.
 * A cluster is rejected when its fit is below {@code needed} (1, or all replicas for DUPLICATED);
 * the reason names the binding resource: {@code insufficient cpu: requested 500m per replica, free
 * 300m}.
 */
final class FitFilter implements ClusterFilter {

    static final String NAME = "fit";

    private final ClusterSnapshot snapshot;
    private final Resources perReplica;
    private final long[] fit;
    private final int needed;

    FitFilter(ClusterSnapshot snapshot, Resources perReplica, long[] fit, int needed) {
        this.snapshot = snapshot;
        this.perReplica = perReplica;
        this.fit = fit;
        this.needed = needed;
    }

    /**
     * The fit of every cluster of the snapshot (computed for all, rejected or not: it is reported).
     */
    static long[] fits(ClusterSnapshot snapshot, Resources perReplica) {
        int n = snapshot.size();
        long[] fit = new long[n];
        long cpu = perReplica.cpuMillis();
        long mem = perReplica.memoryMiB();
        long[] freeCpu = snapshot.freeCpu;
        long[] freeMem = snapshot.freeMemory;
        long[] freePods = snapshot.freePods;
        double cpuInverse = cpu > 0 ? 1.0 / cpu : 0;
        double memInverse = mem > 0 ? 1.0 / mem : 0;
        for (int i = 0; i < n; i++) {
            long f = Math.max(0, freePods[i]);
            if (cpu > 0) {
                f = Math.min(f, quotient(Math.max(0, freeCpu[i]), cpu, cpuInverse));
            }
            if (mem > 0) {
                f = Math.min(f, quotient(Math.max(0, freeMem[i]), mem, memInverse));
            }
            fit[i] = f;
        }
        return fit;
    }

    /**
     * {@code floor(a / b)} for {@code a >= 0, b > 0}, exact: a multiplication by the reciprocal
     * (cheaper than a 64-bit division in this hot loop) corrected to the exact quotient.
     */
    static long quotient(long a, long b, double inverse) {
        if (a >= (1L << 52)) {
            return a / b; // beyond exact doubles: divide
        }
        // a < 2^52: the estimate is off by at most one either way.
        long q = (long) (a * inverse);
        long r = a - q * b;
        if (r < 0) {
            return q - 1;
        }
        return r >= b ? q + 1 : q;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(Rejection[] rejections) {
        for (int i = 0; i < rejections.length; i++) {
            if (rejections[i] == null && fit[i] < needed) {
                rejections[i] = insufficient(i);
            }
        }
    }

    /** The first resource (cpu, memory, pods) that holds the cluster below {@code needed}. */
    private Rejection insufficient(int i) {
        long cpu = perReplica.cpuMillis();
        long mem = perReplica.memoryMiB();
        long freeCpu = Math.max(0, snapshot.freeCpu[i]);
        long freeMem = Math.max(0, snapshot.freeMemory[i]);
        if (cpu > 0 && freeCpu / cpu < needed) {
            return new Rejection.InsufficientResource("cpu", cpu, freeCpu, fit[i], needed);
        }
        if (mem > 0 && freeMem / mem < needed) {
            return new Rejection.InsufficientResource("memory", mem, freeMem, fit[i], needed);
        }
        return new Rejection.InsufficientResource(
                "pods", 1, Math.max(0, snapshot.freePods[i]), fit[i], needed);
    }
}
