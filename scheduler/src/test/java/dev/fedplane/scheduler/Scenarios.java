package dev.fedplane.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random scenarios for the properties: up to a few hundred clusters, every policy feature optional.
 */
final class Scenarios {

    private Scenarios() {}

    enum Mode {
        STATIC,
        DYNAMIC,
        AGGREGATED,
        DUPLICATED
    }

    enum Burst {
        NONE,
        ALLOW,
        ALLOW_MAX_5,
        DENY
    }

    /**
     * One cluster: fit in replicas of the app (1000m each), state, weight, labels, limits (-1:
     * none).
     */
    record ClusterSpec(
            int fit, ClusterState state, int weight, int idc, int tierDie, int min, int max) {

        boolean cloud() {
            return tierDie < 2;
        }

        ClusterInfo build(String name) {
            return new ClusterInfo(
                    name,
                    state,
                    Map.of("idc", "idc-" + idc, "tier", cloud() ? "cloud" : "idc"),
                    List.of(),
                    Resources.of(fit * 1000L, 1_000_000, 1_000_000),
                    Resources.NONE,
                    0.01 * idc);
        }
    }

    record Scenario(
            List<ClusterSpec> clusters,
            int replicas,
            Mode mode,
            boolean limits,
            int spreadMin,
            Integer spreadMax,
            Burst burst,
            Long quotaReplicas) {

        String name(int i) {
            return "c" + String.format("%03d", i);
        }

        List<ClusterInfo> clusterInfos() {
            List<ClusterInfo> list = new ArrayList<>();
            for (int i = 0; i < clusters.size(); i++) {
                list.add(clusters.get(i).build(name(i)));
            }
            return list;
        }

        AppSpec app() {
            List<ClusterWeight> weights = new ArrayList<>();
            List<ClusterLimit> limitList = new ArrayList<>();
            for (int i = 0; i < clusters.size(); i++) {
                ClusterSpec c = clusters.get(i);
                weights.add(ClusterWeight.of(ClusterSelector.names(name(i)), c.weight()));
                if (limits && (c.min() >= 0 || c.max() >= 0)) {
                    limitList.add(
                            ClusterLimit.of(
                                    ClusterSelector.names(name(i)),
                                    c.min() < 0 ? null : c.min(),
                                    c.max() < 0 ? null : c.max()));
                }
            }
            ReplicaScheduling scheduling =
                    switch (mode) {
                        case STATIC ->
                                new ReplicaScheduling(
                                        SchedulingType.DIVIDED,
                                        DivisionMode.STATIC_WEIGHTS,
                                        weights);
                        case DYNAMIC -> ReplicaScheduling.dynamic();
                        case AGGREGATED -> ReplicaScheduling.aggregated();
                        case DUPLICATED -> ReplicaScheduling.duplicated();
                    };
            List<SpreadConstraint> spread =
                    spreadMin == 0 && spreadMax == null
                            ? List.of()
                            : List.of(SpreadConstraint.of("idc", spreadMin, spreadMax));
            BurstPolicy burstPolicy =
                    switch (burst) {
                        case NONE -> null;
                        case ALLOW -> BurstPolicy.of(true, null);
                        case ALLOW_MAX_5 -> BurstPolicy.of(true, 5);
                        case DENY -> BurstPolicy.of(false, null);
                    };
            return new AppSpec(
                    "t",
                    "app",
                    replicas,
                    Resources.perReplica(1000, 1),
                    new PlacementPolicy(null, null, scheduling, limitList, spread, burstPolicy));
        }

        PlacementRequest request() {
            return new PlacementRequest(
                    app(),
                    ClusterSnapshot.of(clusterInfos()),
                    null,
                    null,
                    quotaReplicas == null ? null : new TenantQuota(null, null, quotaReplicas),
                    null);
        }

        Scenario withReplicas(int value) {
            return new Scenario(
                    clusters, value, mode, limits, spreadMin, spreadMax, burst, quotaReplicas);
        }
    }

    static Arbitrary<ClusterSpec> clusterSpecs() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.frequencyOf(
                                Tuple.of(8, Arbitraries.just(ClusterState.READY)),
                                Tuple.of(1, Arbitraries.of(ClusterState.class))),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(-1, 5),
                        Arbitraries.integers().between(-1, 30))
                .as(ClusterSpec::new);
    }

    static Arbitrary<List<ClusterSpec>> clusterLists() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, clusterSpecs().list().ofMinSize(1).ofMaxSize(12)),
                Tuple.of(1, clusterSpecs().list().ofMinSize(13).ofMaxSize(300)));
    }

    /** Anything goes. */
    static Arbitrary<Scenario> any() {
        return Combinators.combine(
                        clusterLists(),
                        Arbitraries.integers().between(0, 600),
                        Arbitraries.of(Mode.class),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 4).injectNull(0.7),
                        Arbitraries.of(Burst.class),
                        Arbitraries.longs().between(0, 400).injectNull(0.7))
                .as(Scenario::new);
    }

    /**
     * DIVIDED / AGGREGATED without spread or quota (burst or not): for the stability properties.
     */
    static Arbitrary<Scenario> plainDivisions() {
        return Combinators.combine(
                        clusterLists(),
                        Arbitraries.integers().between(0, 400),
                        Arbitraries.of(Mode.STATIC, Mode.DYNAMIC, Mode.AGGREGATED),
                        Arbitraries.of(true, false),
                        Arbitraries.of(Burst.class))
                .as((c, r, m, l, b) -> new Scenario(c, r, m, l, 0, null, b, null));
    }
}
