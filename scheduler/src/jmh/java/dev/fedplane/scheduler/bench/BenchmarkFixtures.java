package dev.fedplane.scheduler.bench;

import dev.fedplane.scheduler.AppSpec;
import dev.fedplane.scheduler.ClusterInfo;
import dev.fedplane.scheduler.ClusterLimit;
import dev.fedplane.scheduler.ClusterSelector;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.ClusterState;
import dev.fedplane.scheduler.ClusterWeight;
import dev.fedplane.scheduler.DivisionMode;
import dev.fedplane.scheduler.LabelRequirement;
import dev.fedplane.scheduler.PlacementPolicy;
import dev.fedplane.scheduler.ReplicaScheduling;
import dev.fedplane.scheduler.Resources;
import dev.fedplane.scheduler.SchedulingType;
import dev.fedplane.scheduler.Taint;
import dev.fedplane.scheduler.TaintEffect;
import dev.fedplane.scheduler.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic fleets and apps for the benchmarks: 4 regions, 20 IDCs per 1,000 clusters, 10%
 * cloud, 5% tainted, 5% not READY, random capacity and cost.
 */
final class BenchmarkFixtures {

    static final String[] REGIONS = {"east", "west", "north", "south"};

    private BenchmarkFixtures() {}

    static ClusterSnapshot fleet(int size, long seed) {
        Random random = new Random(seed);
        List<ClusterInfo> clusters = new ArrayList<>(size);
        int idcs = Math.max(1, size / 50);
        for (int i = 0; i < size; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("region", REGIONS[i % REGIONS.length]);
            labels.put("idc", "idc-" + (i % idcs));
            labels.put("zone", "zone-" + (i % 3));
            labels.put("provider", i % 10 == 0 ? "aws" : "self");
            labels.put("tier", i % 10 == 0 ? "cloud" : "idc");
            List<Taint> taints =
                    i % 20 == 7
                            ? List.of(Taint.of("dedicated", "t" + (i % 3), TaintEffect.NoSchedule))
                            : List.of();
            ClusterState state = i % 20 == 13 ? ClusterState.NOT_READY : ClusterState.READY;
            long cpu = 64_000 + random.nextInt(8) * 32_000L;
            long mem = cpu * 4;
            Resources allocatable = Resources.of(cpu, mem, 1_100);
            Resources requested =
                    Resources.of(
                            (long) (cpu * random.nextDouble() * 0.9),
                            (long) (mem * random.nextDouble() * 0.9),
                            random.nextInt(900));
            clusters.add(
                    new ClusterInfo(
                            String.format("cluster-%05d", i),
                            state,
                            labels,
                            taints,
                            allocatable,
                            requested,
                            i % 10 == 0 ? 0.5 + random.nextDouble() : 0.0));
        }
        return ClusterSnapshot.of(clusters);
    }

    /**
     * An app over the fleet: region affinity, a toleration, weights by IDC (static) or dynamic, one
     * limit.
     */
    static AppSpec app(int index, DivisionMode division, int idcs, Random random) {
        List<ClusterWeight> weights = new ArrayList<>();
        if (division == DivisionMode.STATIC_WEIGHTS) {
            for (int k = 0; k < 8; k++) {
                weights.add(
                        ClusterWeight.of(
                                ClusterSelector.label("idc", "idc-" + random.nextInt(idcs)),
                                1 + random.nextInt(5)));
            }
            weights.add(ClusterWeight.of(ClusterSelector.label("tier", "idc"), 1));
        }
        PlacementPolicy policy =
                new PlacementPolicy(
                        new ClusterSelector(
                                null,
                                null,
                                List.of(LabelRequirement.in("region", "east", "west", "north"))),
                        List.of(Toleration.equal("dedicated", "t1", TaintEffect.NoSchedule)),
                        new ReplicaScheduling(SchedulingType.DIVIDED, division, weights),
                        List.of(
                                ClusterLimit.of(
                                        ClusterSelector.label("idc", "idc-" + random.nextInt(idcs)),
                                        1,
                                        20)),
                        List.of(),
                        null);
        return new AppSpec(
                "tenant-" + (index % 50),
                "app-" + index,
                50 + random.nextInt(450),
                Resources.perReplica(
                        250 + random.nextInt(8) * 250L, 256 + random.nextInt(8) * 512L),
                policy);
    }
}
