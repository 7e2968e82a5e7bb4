package dev.fedplane.scheduler.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link FleetShapeBenchmark}'s cases measured in thread CPU time and allocated bytes per
 * placement, for a machine shared with other work (wall-clock JMH numbers then include time the
 * thread did not run). Prints one line per case: median CPU µs per placement over the rounds (after
 * warm-up), the fastest and slowest round, and bytes allocated per placement. {@code java -cp
 * scheduler/target/fedplane-scheduler-benchmarks.jar
 * dev.fedplane.scheduler.bench.FleetShapeCpuCheck [rounds [clusters [weights [R]]]]} (the optional
 * filters pick one fleet size, weight kind or replica count, e.g. for a profiler).
 */
public final class FleetShapeCpuCheck {

    private FleetShapeCpuCheck() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        System.out.printf(
                "%-8s %-14s %-7s %-8s %10s %10s %10s %12s%n",
                "clusters", "weights", "R", "current", "median-us", "min-us", "max-us", "bytes/op");
        String onlyClusters = args.length > 1 ? args[1] : null;
        String onlyWeights = args.length > 2 ? args[2] : null;
        String onlyReplicas = args.length > 3 ? args[3] : null;
        for (int clusters : new int[] {1000, 10000}) {
            for (FleetShapeBenchmark.Weights weights : FleetShapeBenchmark.Weights.values()) {
                for (int replicas : new int[] {1000, 3000, 30000}) {
                    if ((onlyClusters != null && !onlyClusters.equals(Integer.toString(clusters)))
                            || (onlyWeights != null && !onlyWeights.equals(weights.name()))
                            || (onlyReplicas != null
                                    && !onlyReplicas.equals(Integer.toString(replicas)))) {
                        continue;
                    }
                    FleetShapeBenchmark b = new FleetShapeBenchmark();
                    b.clusters = clusters;
                    b.weights = weights;
                    b.replicas = replicas;
                    b.setUp();
                    for (boolean current : new boolean[] {false, true}) {
                        int perRound = Math.max(20, 1_000_000 / clusters);
                        long sink = 0;
                        // Warm up for at least 8 rounds and 2 s, so the JIT has compiled the hot
                        // paths before the first case is measured.
                        long warmUntil = System.nanoTime() + 2_000_000_000L;
                        for (int warm = 0; warm < 8 || System.nanoTime() < warmUntil; warm++) {
                            for (int k = 0; k < perRound; k++) {
                                sink +=
                                        (current ? b.placeWithCurrent() : b.placeFresh())
                                                .unschedulable();
                            }
                        }
                        double[] micros = new double[rounds];
                        long bytes = 0;
                        for (int r = 0; r < rounds; r++) {
                            long allocated = threads.getThreadAllocatedBytes(self);
                            long start = threads.getCurrentThreadCpuTime();
                            for (int k = 0; k < perRound; k++) {
                                sink +=
                                        (current ? b.placeWithCurrent() : b.placeFresh())
                                                .unschedulable();
                            }
                            micros[r] =
                                    (threads.getCurrentThreadCpuTime() - start) / 1000.0 / perRound;
                            bytes = (threads.getThreadAllocatedBytes(self) - allocated) / perRound;
                        }
                        Arrays.sort(micros);
                        System.out.printf(
                                "%-8d %-14s %-7d %-8s %10.1f %10.1f %10.1f %12d%s%n",
                                clusters,
                                weights,
                                replicas,
                                current ? "yes" : "no",
                                micros[rounds / 2],
                                micros[0],
                                micros[rounds - 1],
                                bytes,
                                sink == 42 ? " " : "");
                    }
                }
            }
        }
    }
}
