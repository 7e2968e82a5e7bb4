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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DUPLICATED and AGGREGATED. */
class ModesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments(
                        "DUPLICATED runs all replicas in every feasible cluster",
                        anApp().withReplicas(3).duplicated(),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 3, "b", 3),
                        0),
                arguments(
                        "DUPLICATED leaves out a cluster that fits fewer than all replicas",
                        anApp().withReplicas(3).duplicated(),
                        List.of(aCluster("a"), aCluster("b").fitting(2)),
                        Map.of("a", 3),
                        0),
                arguments(
                        "DUPLICATED with no cluster fitting all replicas leaves them all unschedulable",
                        anApp().withReplicas(3).duplicated(),
                        List.of(aCluster("a").fitting(2)),
                        Map.of(),
                        3),
                arguments(
                        "DUPLICATED ignores weights and cluster limits",
                        anApp().withReplicas(3)
                                .duplicated()
                                .withLimit(ClusterSelector.names("a"), null, 1),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 3, "b", 3),
                        0),
                arguments(
                        "DUPLICATED uses only the best-scored groups under maxGroups",
                        anApp().withReplicas(2).duplicated().spreadBy("idc", 0, 1),
                        List.of(
                                aCluster("a").inIdc("x").withRequested(32_000, 0, 0),
                                aCluster("b").inIdc("y")),
                        Map.of("b", 2),
                        0),
                arguments(
                        "DUPLICATED covering fewer groups than minGroups places nothing",
                        anApp().withReplicas(2).duplicated().spreadBy("idc", 2, null),
                        List.of(aCluster("a").inIdc("x"), aCluster("b").inIdc("y").fitting(1)),
                        Map.of(),
                        2),
                // caps 5, 10, 3: take b (10), then a (5): 15 >= 12; divide 12 by caps 10:5 -> 8, 4
                arguments(
                        "AGGREGATED takes the fewest clusters, largest cap first, and divides by cap",
                        anApp().withReplicas(12).aggregated(),
                        List.of(
                                aCluster("a").fitting(5),
                                aCluster("b").fitting(10),
                                aCluster("c").fitting(3)),
                        Map.of("a", 4, "b", 8),
                        0),
                arguments(
                        "AGGREGATED puts everything in one cluster when it holds all replicas",
                        anApp().withReplicas(6).aggregated(),
                        List.of(
                                aCluster("a").fitting(5),
                                aCluster("b").fitting(10),
                                aCluster("c").fitting(7)),
                        Map.of("b", 6),
                        0),
                arguments(
                        "AGGREGATED breaks equal caps by name",
                        anApp().withReplicas(4).aggregated(),
                        List.of(aCluster("b").fitting(5), aCluster("a").fitting(5)),
                        Map.of("a", 4),
                        0),
                arguments(
                        "AGGREGATED ignores minReplicas",
                        anApp().withReplicas(4)
                                .aggregated()
                                .withLimit(ClusterSelector.names("a"), 2, null),
                        List.of(aCluster("a").fitting(5), aCluster("b").fitting(10)),
                        Map.of("b", 4),
                        0),
                arguments(
                        "AGGREGATED caps by maxReplicas",
                        anApp().withReplicas(4)
                                .aggregated()
                                .withLimit(ClusterSelector.names("b"), null, 3),
                        // caps 2 and 3: both taken (3 + 2 >= 4); 4 x 3/5 = 2.4, 4 x 2/5 = 1.6 -> 2
                        // + 1, the unit left
                        // to the larger fraction (a .6)
                        List.of(aCluster("a").fitting(2), aCluster("b").fitting(10)),
                        Map.of("a", 2, "b", 2),
                        0),
                arguments(
                        "AGGREGATED reports what fits nowhere",
                        anApp().withReplicas(9).aggregated(),
                        List.of(aCluster("a").fitting(2), aCluster("b").fitting(3)),
                        Map.of("a", 2, "b", 3),
                        4),
                arguments(
                        "AGGREGATED ignores the static weights list",
                        anApp().withReplicas(4).aggregated(),
                        List.of(aCluster("a").fitting(3), aCluster("b").fitting(8)),
                        Map.of("b", 4),
                        0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void places(
            String behaviour,
            AppBuilder app,
            List<ClusterBuilder> clusters,
            Map<String, Integer> expected,
            int unschedulable) {
        Placement p = Fixtures.place(app, clusters.toArray(new ClusterBuilder[0]));

        assertThat(p.asMap()).isEqualTo(expected);
        assertThat(p.unschedulable()).isEqualTo(unschedulable);
    }

    @Test
    @DisplayName("DUPLICATED explains that no cluster fits all replicas")
    void duplicatedReason() {
        Placement p =
                Fixtures.place(anApp().withReplicas(3).duplicated(), aCluster("a").fitting(2));

        assertThat(p.unschedulableReason())
                .isEqualTo(
                        "no cluster fits all 3 replicas: a: insufficient cpu for 3 replicas (fits 2): requested 1000m per replica, free 2000m");
    }

    @Test
    @DisplayName("AGGREGATED keeps replicas where they are while they fit")
    void aggregatedStability() {
        // fresh: b (cap 10) would take all 6; a already holds 4 and keeps them, b gets the 2 added
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(6).aggregated(),
                        Map.of("a", 4),
                        aCluster("a").fitting(5),
                        aCluster("b").fitting(10));

        assertThat(p.asMap()).isEqualTo(Map.of("a", 4, "b", 2));
    }

    @Test
    @DisplayName("AGGREGATED with burst takes IDC clusters before cloud ones")
    void aggregatedBurst() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(7).aggregated().withBurst(true, null),
                        aCluster("cloud-1").inCloud().fitting(50),
                        aCluster("idc-1").inIdc("x").fitting(5),
                        aCluster("idc-2").inIdc("y").fitting(1));

        // IDC: caps 5 + 1 = 6 hold 6; cloud takes the 1 left
        assertThat(p.asMap()).isEqualTo(Map.of("idc-1", 5, "idc-2", 1, "cloud-1", 1));
    }

    @Test
    @DisplayName("a weight-0 cluster in DIVIDED is still listed as feasible with its weight")
    void weightZeroListedFeasible() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(2).staticWeights(weight("a", 1)),
                        aCluster("a"),
                        aCluster("b"));

        assertThat(p.decisionOf("b").feasible()).isTrue();
        assertThat(p.decisionOf("b").weight()).isZero();
        assertThat(p.decisionOf("b").note()).isEqualTo("weight 0: takes no part in the division");
    }
}
