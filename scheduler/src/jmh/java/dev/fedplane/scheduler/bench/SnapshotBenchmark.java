package dev.fedplane.scheduler.bench;

import dev.fedplane.scheduler.ClusterInfo;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the control plane's reconciler pays per app for the scheduler's view of the fleet: a
 * snapshot built from every cluster ({@code rebuild}, what it did before) against the shared
 * snapshot with the app's own clusters' requests changed ({@code withCapacity}, three clusters, as
 * an app holding replicas on three clusters).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SnapshotBenchmark {

    @Param({"1000", "10000"})
    public int clusters;

    private List<ClusterInfo> infos;
    private ClusterSnapshot base;
    private List<ClusterInfo> changed;

    @Setup
    public void setUp() {
        base = BenchmarkFixtures.fleet(clusters, 42);
        infos = new ArrayList<>(base.clusters());
        changed = new ArrayList<>();
        for (int i : new int[] {7, clusters / 2, clusters - 3}) {
            ClusterInfo c = base.cluster(i);
            Resources r = c.requested();
            changed.add(
                    new ClusterInfo(
                            c.name(),
                            c.state(),
                            c.labels(),
                            c.taints(),
                            c.allocatable(),
                            Resources.of(r.cpuMillis() + 500, r.memoryMiB() + 512, r.pods() + 1),
                            c.costPerCpuHour()));
        }
    }

    @Benchmark
    public ClusterSnapshot rebuild() {
        return ClusterSnapshot.of(infos);
    }

    @Benchmark
    public ClusterSnapshot withCapacity() {
        return base.withCapacity(changed);
    }
}
