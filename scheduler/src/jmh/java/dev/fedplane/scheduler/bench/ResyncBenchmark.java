package dev.fedplane.scheduler.bench;

import dev.fedplane.scheduler.AppSpec;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.DivisionMode;
import dev.fedplane.scheduler.PlacementRequest;
import dev.fedplane.scheduler.Scheduler;
import java.util.Random;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A full resync: every app placed once over one snapshot of 1,000 clusters, on one thread (one
 * core). Apps alternate static weights and dynamic division with random sizes. Single shot.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ResyncBenchmark {

    @Param({"100000"})
    public int apps;

    @Param({"1000"})
    public int clusters;

    private final Scheduler scheduler = new Scheduler();
    private ClusterSnapshot snapshot;
    private AppSpec[] specs;

    @Setup
    public void setUp() {
        snapshot = BenchmarkFixtures.fleet(clusters, 42);
        Random random = new Random(11);
        specs = new AppSpec[apps];
        for (int i = 0; i < apps; i++) {
            specs[i] =
                    BenchmarkFixtures.app(
                            i,
                            i % 2 == 0 ? DivisionMode.STATIC_WEIGHTS : DivisionMode.DYNAMIC,
                            Math.max(1, clusters / 50),
                            random);
        }
    }

    @Benchmark
    public void resync(Blackhole blackhole) {
        for (AppSpec app : specs) {
            blackhole.consume(scheduler.place(PlacementRequest.of(app, snapshot)));
        }
    }
}
