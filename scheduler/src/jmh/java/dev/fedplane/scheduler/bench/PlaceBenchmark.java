package dev.fedplane.scheduler.bench;

import dev.fedplane.scheduler.AppSpec;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.DivisionMode;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.PlacementRequest;
import dev.fedplane.scheduler.Scheduler;
import java.util.Map;
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

/**
 * One app over a fleet (filter + score + divide, and explanation): static weights and dynamic,
 * fresh and with a current placement (stability). The snapshot is built once, as in a resync.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PlaceBenchmark {

    @Param({"1000", "10000"})
    public int clusters;

    @Param({"STATIC_WEIGHTS", "DYNAMIC"})
    public DivisionMode division;

    private final Scheduler scheduler = new Scheduler();
    private PlacementRequest fresh;
    private PlacementRequest stable;

    @Setup
    public void setUp() {
        ClusterSnapshot snapshot = BenchmarkFixtures.fleet(clusters, 42);
        AppSpec app =
                BenchmarkFixtures.app(1, division, Math.max(1, clusters / 50), new Random(7))
                        .withReplicas(300);
        fresh = PlacementRequest.of(app, snapshot);
        Map<String, Integer> current =
                scheduler.place(PlacementRequest.of(app.withReplicas(280), snapshot)).asMap();
        stable = fresh.withCurrentPlacement(current);
    }

    @Benchmark
    public Placement placeFresh() {
        return scheduler.place(fresh);
    }

    @Benchmark
    public Placement placeWithCurrentPlacement() {
        return scheduler.place(stable);
    }
}
