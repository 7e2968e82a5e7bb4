package dev.fedplane.scheduler.bench;

import dev.fedplane.scheduler.AppSpec;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.DivisionMode;
import dev.fedplane.scheduler.PlacementRequest;
import dev.fedplane.scheduler.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * A cross-check of {@link PlaceBenchmark} in thread CPU time rather than wall time, for a machine
 * shared with other work (wall-clock JMH numbers then include time the thread did not run). {@code
 * java -cp scheduler/target/fedplane-scheduler-benchmarks.jar
 * dev.fedplane.scheduler.bench.CpuTimeCheck [clusters] [rounds]} prints the median CPU microseconds
 * per placement over the rounds (after warm-up).
 */
public final class CpuTimeCheck {

    private CpuTimeCheck() {}

    public static void main(String[] args) {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Scheduler scheduler = new Scheduler();
        ClusterSnapshot snapshot = BenchmarkFixtures.fleet(clusters, 42);
        for (DivisionMode division : DivisionMode.values()) {
            AppSpec app =
                    BenchmarkFixtures.app(1, division, Math.max(1, clusters / 50), new Random(7))
                            .withReplicas(300);
            PlacementRequest request = PlacementRequest.of(app, snapshot);
            int perRound = Math.max(50, 2_000_000 / clusters);
            double[] micros = new double[rounds];
            long sink = 0;
            for (int warm = 0; warm < 5; warm++) {
                for (int k = 0; k < perRound; k++) {
                    sink += scheduler.place(request).unschedulable();
                }
            }
            for (int r = 0; r < rounds; r++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < perRound; k++) {
                    sink += scheduler.place(request).unschedulable();
                }
                micros[r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / perRound;
            }
            Arrays.sort(micros);
            System.out.printf(
                    "clusters=%d division=%s median CPU %.1f us/placement (min %.1f, max %.1f) [%d]%n",
                    clusters, division, micros[rounds / 2], micros[0], micros[rounds - 1], sink);
        }
    }
}
