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

/**
 * A feasible cluster that got no replica says why, in its decision's note (ExplainApp and simulate
 * show it).
 */
class IdleNotesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // 4 x 1/6 each: floors 0, the 4 units go by tie key of t1/web: c, a, f, b (then d,
                // e)
                arguments(
                        "a cluster left out of an even division was not needed",
                        anApp().withReplicas(4),
                        null,
                        List.of(
                                aCluster("a"),
                                aCluster("b"),
                                aCluster("c"),
                                aCluster("d"),
                                aCluster("e"),
                                aCluster("f")),
                        "d",
                        "not needed: 4 replicas went to 4 better-ordered clusters"),
                arguments(
                        "with a current placement the note says the replicas were kept",
                        anApp().withReplicas(2),
                        Map.of("a", 1, "b", 1),
                        List.of(aCluster("a"), aCluster("b"), aCluster("c")),
                        "c",
                        "not needed: 2 replicas went to 2 better-ordered clusters (kept where they run)"),
                arguments(
                        "a cluster matching no weight entry has weight 0",
                        anApp().withReplicas(4).staticWeights(weight("a", 1)),
                        null,
                        List.of(aCluster("a"), aCluster("b")),
                        "b",
                        "weight 0: takes no part in the division"),
                arguments(
                        "a cluster held to maxReplicas 0 says so",
                        anApp().withReplicas(4).withLimit(ClusterSelector.names("b"), null, 0),
                        null,
                        List.of(aCluster("a"), aCluster("b")),
                        "b",
                        "capped by maxReplicas 0"),
                arguments(
                        "a cloud cluster is not needed while IDC holds every replica",
                        anApp().withReplicas(4).withBurst(true, null),
                        null,
                        List.of(aCluster("idc-1").inIdc("x"), aCluster("cloud-1").inCloud()),
                        "cloud-1",
                        "not needed: IDC clusters hold every replica (cloud takes only the overflow)"),
                arguments(
                        "a cloud cluster the policy does not allow says so when IDC overflows",
                        anApp().withReplicas(6).withBurst(false, null),
                        null,
                        List.of(
                                aCluster("idc-1").inIdc("x").fitting(4),
                                aCluster("cloud-1").inCloud()),
                        "cloud-1",
                        "not used: 2 replicas overflow IDC, but burst.allowCloud is false"),
                arguments(
                        "a cloud cluster with a cloud budget of 0 says so",
                        anApp().withReplicas(6).withBurst(true, 0),
                        null,
                        List.of(
                                aCluster("idc-1").inIdc("x").fitting(4),
                                aCluster("cloud-1").inCloud()),
                        "cloud-1",
                        "not used: burst.maxCloudReplicas is 0"),
                // caps 10 and 100: the larger cap alone covers 4
                arguments(
                        "AGGREGATED packs into as few clusters as possible",
                        anApp().withReplicas(4).aggregated(),
                        null,
                        List.of(aCluster("a").fitting(10), aCluster("b").fitting(100)),
                        "a",
                        "not needed: AGGREGATED packs 4 replicas into 1 cluster"),
                arguments(
                        "an app of 0 replicas needs no cluster",
                        anApp().withReplicas(0),
                        null,
                        List.of(aCluster("a")),
                        "a",
                        "not needed: the app has 0 replicas"),
                arguments(
                        "a failed spread says why nothing was placed",
                        anApp().withReplicas(4).spreadBy("idc", 3, null),
                        null,
                        List.of(aCluster("a").inIdc("x"), aCluster("b").inIdc("y")),
                        "a",
                        "not placed: spread by idc needs a replica in 3 groups, but only 2 groups are available (x, y)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explainsAnIdleFeasibleCluster(
            String behaviour,
            AppBuilder app,
            Map<String, Integer> current,
            List<ClusterBuilder> clusters,
            String cluster,
            String note) {
        ClusterBuilder[] builders = clusters.toArray(new ClusterBuilder[0]);
        Placement p =
                current == null
                        ? Fixtures.place(app, builders)
                        : Fixtures.place(app, current, builders);

        ClusterDecision d = p.decisionOf(cluster);
        assertThat(d.feasible()).isTrue();
        assertThat(d.replicas()).isZero();
        assertThat(d.note()).isEqualTo(note);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void clustersWithReplicasCarryNoIdleNote(
            String behaviour,
            AppBuilder app,
            Map<String, Integer> current,
            List<ClusterBuilder> clusters,
            String cluster,
            String note) {
        ClusterBuilder[] builders = clusters.toArray(new ClusterBuilder[0]);
        Placement p =
                current == null
                        ? Fixtures.place(app, builders)
                        : Fixtures.place(app, current, builders);

        for (ClusterDecision d : p.clusters()) {
            if (d.replicas() > 0) {
                assertThat(d.note()).as(d.cluster()).isNull();
            }
        }
    }
}
