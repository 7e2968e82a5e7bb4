package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static dev.fedplane.scheduler.Fixtures.weight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fedplane.scheduler.Fixtures.AppBuilder;
import dev.fedplane.scheduler.Fixtures.ClusterBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spread by a label: minGroups, maxGroups, missing labels, unsatisfiable spread. */
class SpreadTest {

    /**
     * Lower requested = more free = better score; so "x" (nothing requested) scores above "y" and
     * "z".
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                // weights 99:1 over 3 -> 2.97 / 0.03 -> a 3, b 0; minGroups 2 -> b gets a minimum
                // of 1 -> a 2, b 1
                arguments(
                        "minGroups gives the best cluster of a missing group a minimum of one",
                        anApp().withReplicas(3)
                                .staticWeights(weight("a", 99), weight("b", 1))
                                .spreadBy("idc", 2, null),
                        List.of(aCluster("a").inIdc("x"), aCluster("b").inIdc("y")),
                        Map.of("a", 2, "b", 1),
                        0,
                        null),
                // groups by score: x (best), y, z; only 2 missing-group minimums needed
                arguments(
                        "minGroups fills the best-scored missing groups first",
                        anApp().withReplicas(3)
                                .staticWeights(weight("a", 1000), weight("b", 1), weight("c", 1))
                                .spreadBy("idc", 2, null),
                        List.of(
                                aCluster("a").inIdc("x"),
                                aCluster("b").inIdc("y").withRequested(1000, 0, 0),
                                aCluster("c").inIdc("z").withRequested(2000, 0, 0)),
                        Map.of("a", 2, "b", 1),
                        0,
                        null),
                // 1 x 1/3 each: floors 0, the unit goes by cluster order (equal scores): c has the
                // smallest tie key
                arguments(
                        "minGroups above the replicas needs only as many groups as replicas",
                        anApp().withReplicas(1).spreadBy("idc", 3, null),
                        List.of(
                                aCluster("a").inIdc("x"),
                                aCluster("b").inIdc("y"),
                                aCluster("c").inIdc("z")),
                        Map.of("c", 1),
                        0,
                        null),
                arguments(
                        "maxGroups keeps only the best-scored groups",
                        anApp().withReplicas(4).spreadBy("idc", 0, 1),
                        List.of(
                                aCluster("a").inIdc("x").withRequested(8000, 0, 0),
                                aCluster("b").inIdc("y"),
                                aCluster("c").inIdc("y").withRequested(4000, 0, 0)),
                        Map.of("b", 2, "c", 2),
                        0,
                        null),
                // equal scores: groups by value, x first; b's larger cap does not matter outside
                // the best group
                arguments(
                        "maxGroups applies to AGGREGATED too",
                        anApp().withReplicas(4).aggregated().spreadBy("idc", 0, 1),
                        List.of(
                                aCluster("a").inIdc("x").fitting(10),
                                aCluster("b").inIdc("y").fitting(100)),
                        Map.of("a", 4),
                        0,
                        null),
                arguments(
                        "a cluster without the spread label takes no replicas",
                        anApp().withReplicas(4).spreadBy("idc", 1, null),
                        List.of(aCluster("a").inIdc("x"), aCluster("b")),
                        Map.of("a", 4),
                        0,
                        null),
                arguments(
                        "fewer groups than minGroups place nothing and explain why",
                        anApp().withReplicas(4).spreadBy("idc", 3, null),
                        List.of(aCluster("a").inIdc("x"), aCluster("b").inIdc("y")),
                        Map.of(),
                        4,
                        "spread by idc needs a replica in 3 groups, but only 2 groups are available (x, y)"),
                arguments(
                        "minGroups above maxGroups places nothing",
                        anApp().withReplicas(4).spreadBy("idc", 2, 1),
                        List.of(aCluster("a").inIdc("x"), aCluster("b").inIdc("y")),
                        Map.of(),
                        4,
                        "spread by idc needs a replica in 2 groups, but only 1 group is available (x) and maxGroups is 1"),
                arguments(
                        "a weight-0 cluster forms no group",
                        anApp().withReplicas(4)
                                .staticWeights(weight("a", 1))
                                .spreadBy("idc", 2, null),
                        List.of(aCluster("a").inIdc("x"), aCluster("b").inIdc("y")),
                        Map.of(),
                        4,
                        "spread by idc needs a replica in 2 groups, but only 1 group is available (x)"),
                arguments(
                        "every spread entry applies",
                        anApp().withReplicas(4).spreadBy("idc", 2, null).spreadBy("zone", 2, null),
                        List.of(
                                aCluster("a").inIdc("x").withLabel("zone", "z1"),
                                aCluster("b").inIdc("y").withLabel("zone", "z1")),
                        Map.of(),
                        4,
                        "spread by zone needs a replica in 2 groups, but only 1 group is available (z1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void spreads(
            String behaviour,
            AppBuilder app,
            List<ClusterBuilder> clusters,
            Map<String, Integer> expected,
            int unschedulable,
            String reason) {
        Placement p = Fixtures.place(app, clusters.toArray(new ClusterBuilder[0]));

        assertThat(p.asMap()).isEqualTo(expected);
        assertThat(p.unschedulable()).isEqualTo(unschedulable);
        if (reason != null) {
            assertThat(p.unschedulableReason()).isEqualTo(reason);
        }
    }
}
