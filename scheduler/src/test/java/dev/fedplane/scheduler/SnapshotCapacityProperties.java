package dev.fedplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ClusterSnapshot#withCapacity} is a rebuild made cheaply: a snapshot derived from another
 * with some clusters' capacity changed lists the same clusters and places every app exactly as a
 * snapshot built from scratch from the changed clusters, fresh and with a current placement.
 */
class SnapshotCapacityProperties {
    private final Scheduler scheduler = new Scheduler();

    @Provide
    Arbitrary<Scenarios.Scenario> scenarios() {
        return Scenarios.any();
    }

    @Property(tries = 300)
    @Label("a snapshot with changed capacity places every app as one built from scratch")
    void withCapacityEqualsARebuild(@ForAll("scenarios") Scenarios.Scenario s, @ForAll long seed) {
        Random random = new Random(seed);
        List<ClusterInfo> infos = s.clusterInfos();
        ClusterSnapshot base = ClusterSnapshot.of(infos);
        // Some clusters' requests and allocatable move (any of them, some more than once).
        Map<String, ClusterInfo> changed = new LinkedHashMap<>();
        int changes = random.nextInt(infos.size() + 1);
        for (int k = 0; k < changes; k++) {
            ClusterInfo c = infos.get(random.nextInt(infos.size()));
            changed.put(c.name(), withCapacity(c, random));
        }
        ClusterSnapshot derived = base.withCapacity(changed.values());
        List<ClusterInfo> all = new ArrayList<>();
        for (ClusterInfo c : infos) {
            all.add(changed.getOrDefault(c.name(), c));
        }
        ClusterSnapshot rebuilt = ClusterSnapshot.of(all);

        assertThat(derived.clusters()).isEqualTo(rebuilt.clusters());
        Placement fresh = scheduler.place(request(s, derived, null));
        assertThat(fresh).isEqualTo(scheduler.place(request(s, rebuilt, null)));
        // And with the fresh placement as the current one on the base (the stability step).
        Map<String, Integer> current = new LinkedHashMap<>();
        for (ClusterReplicas r : scheduler.place(request(s, base, null)).placements()) {
            current.put(r.cluster(), r.replicas());
        }
        assertThat(scheduler.place(request(s, derived, current)))
                .isEqualTo(scheduler.place(request(s, rebuilt, current)));
        // The base is left as it was.
        assertThat(base.clusters()).isEqualTo(ClusterSnapshot.of(infos).clusters());
    }

    @Property(tries = 100)
    @Label("a changed state or label falls back to a full rebuild with the same result")
    void otherChangesRebuild(@ForAll("scenarios") Scenarios.Scenario s, @ForAll long seed) {
        Random random = new Random(seed);
        List<ClusterInfo> infos = s.clusterInfos();
        ClusterSnapshot base = ClusterSnapshot.of(infos);
        ClusterInfo c = infos.get(random.nextInt(infos.size()));
        ClusterInfo relabelled =
                new ClusterInfo(
                        c.name(),
                        random.nextBoolean() ? ClusterState.NOT_READY : c.state(),
                        Map.of("idc", "elsewhere", ClusterInfo.TIER_LABEL, "cloud"),
                        c.taints(),
                        c.allocatable(),
                        c.requested(),
                        c.costPerCpuHour());
        List<ClusterInfo> all = new ArrayList<>();
        for (ClusterInfo i : infos) {
            all.add(i.name().equals(c.name()) ? relabelled : i);
        }
        ClusterSnapshot derived = base.withCapacity(List.of(relabelled));
        ClusterSnapshot rebuilt = ClusterSnapshot.of(all);
        assertThat(derived.clusters()).isEqualTo(rebuilt.clusters());
        assertThat(scheduler.place(request(s, derived, null)))
                .isEqualTo(scheduler.place(request(s, rebuilt, null)));
    }

    private static ClusterInfo withCapacity(ClusterInfo c, Random random) {
        Resources alloc = c.allocatable();
        if (random.nextInt(4) == 0) {
            alloc =
                    Resources.of(
                            random.nextInt(64_000),
                            random.nextInt(256 * 1024),
                            random.nextInt(200));
        }
        Resources requested =
                Resources.of(
                        random.nextInt((int) Math.max(1, alloc.cpuMillis() + 2_000)),
                        random.nextInt((int) Math.max(1, alloc.memoryMiB() + 2_048)),
                        random.nextInt((int) Math.max(1, alloc.pods() + 10)));
        return new ClusterInfo(
                c.name(),
                c.state(),
                c.labels(),
                c.taints(),
                alloc,
                requested,
                random.nextInt(8) == 0 ? random.nextDouble() : c.costPerCpuHour());
    }

    private static PlacementRequest request(
            Scenarios.Scenario s, ClusterSnapshot snapshot, Map<String, Integer> current) {
        PlacementRequest r = s.request();
        PlacementRequest on =
                new PlacementRequest(
                        r.app(),
                        snapshot,
                        null,
                        r.tenantUsage(),
                        r.tenantQuota(),
                        r.tenantAllowedClusters());
        return current == null ? on : on.withCurrentPlacement(current);
    }
}
