package dev.fedplane.scheduler.bench;

import dev.fedplane.scheduler.AppSpec;
import dev.fedplane.scheduler.ClusterInfo;
import dev.fedplane.scheduler.ClusterSelector;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.ClusterState;
import dev.fedplane.scheduler.ClusterWeight;
import dev.fedplane.scheduler.DivisionMode;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.PlacementPolicy;
import dev.fedplane.scheduler.PlacementRequest;
import dev.fedplane.scheduler.ReplicaScheduling;
import dev.fedplane.scheduler.Resources;
import dev.fedplane.scheduler.Scheduler;
import dev.fedplane.scheduler.SchedulingType;
import java.util.ArrayList;
import java.util.List;
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
 * One app over a fleet shaped like the real ones the issue measured against Karmada's division
 * code: every cluster READY, the fit of each drawn uniformly from 0 to 500 replicas, and
 *
 * <ul>
 *   <li>{@code STATIC_NAMES}: static weights 1–10 given per cluster through 10 weight entries,
 *       entry k listing by {@code names} every cluster of weight k;
 *   <li>{@code STATIC_LABELS}: the same weights through 10 entries {@code matchLabels: {w: k}};
 *   <li>{@code DYNAMIC}: no weights, each cluster weighs what fits in it.
 * </ul>
 *
 * R = 1,000, 3,000 and 30,000 replicas (the last is more than half the fleet's room at 1,000
 * clusters, so caps bind). {@code placeFresh} has no current placement; {@code placeWithCurrent}
 * starts from the fresh placement of 90% of R (a scale-up under the stability rules).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FleetShapeBenchmark {

    /** How the weights are given. */
    public enum Weights {
        STATIC_NAMES,
        STATIC_LABELS,
        DYNAMIC
    }

    @Param({"1000", "10000"})
    public int clusters;

    @Param({"STATIC_NAMES", "STATIC_LABELS", "DYNAMIC"})
    public Weights weights;

    @Param({"1000", "3000", "30000"})
    public int replicas;

    private final Scheduler scheduler = new Scheduler();
    private PlacementRequest fresh;
    private PlacementRequest withCurrent;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        List<ClusterInfo> fleet = new ArrayList<>(clusters);
        List<List<String>> byWeight = new ArrayList<>();
        for (int w = 0; w < 10; w++) {
            byWeight.add(new ArrayList<>());
        }
        for (int i = 0; i < clusters; i++) {
            String name = String.format("member-%05d", i);
            int fit = random.nextInt(501); // 0..500 replicas of 1 CPU / 1 GiB
            int weight = 1 + random.nextInt(10);
            byWeight.get(weight - 1).add(name);
            long cpu = 600_000;
            long memory = 4 * 600_000;
            fleet.add(
                    new ClusterInfo(
                            name,
                            ClusterState.READY,
                            Map.of(
                                    "w",
                                    Integer.toString(weight),
                                    "idc",
                                    "idc-" + (i % 40),
                                    "tier",
                                    "idc"),
                            List.of(),
                            Resources.of(cpu, memory, 2_000),
                            Resources.of(cpu - fit * 1000L, 0, 0),
                            0.0));
        }
        ClusterSnapshot snapshot = ClusterSnapshot.of(fleet);
        List<ClusterWeight> entries = new ArrayList<>();
        for (int w = 1; w <= 10 && weights != Weights.DYNAMIC; w++) {
            ClusterSelector selector =
                    weights == Weights.STATIC_NAMES
                            ? new ClusterSelector(byWeight.get(w - 1), null, null)
                            : ClusterSelector.label("w", Integer.toString(w));
            entries.add(ClusterWeight.of(selector, w));
        }
        DivisionMode mode =
                weights == Weights.DYNAMIC ? DivisionMode.DYNAMIC : DivisionMode.STATIC_WEIGHTS;
        PlacementPolicy policy =
                new PlacementPolicy(
                        null,
                        List.of(),
                        new ReplicaScheduling(SchedulingType.DIVIDED, mode, entries),
                        List.of(),
                        List.of(),
                        null);
        AppSpec app =
                new AppSpec("shop", "web", replicas, Resources.perReplica(1000, 1024), policy);
        fresh = PlacementRequest.of(app, snapshot);
        Map<String, Integer> current =
                scheduler
                        .place(
                                PlacementRequest.of(
                                        app.withReplicas(replicas - replicas / 10), snapshot))
                        .asMap();
        withCurrent = fresh.withCurrentPlacement(current);
    }

    @Benchmark
    public Placement placeFresh() {
        return scheduler.place(fresh);
    }

    @Benchmark
    public Placement placeWithCurrent() {
        return scheduler.place(withCurrent);
    }
}
