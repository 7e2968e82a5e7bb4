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
 * DIVIDED (STATIC_WEIGHTS and DYNAMIC), weights and cluster limits; the arithmetic is in the
 * comments.
 */
class DividedTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // 9 x 1/3 = 3 each
                arguments(
                        "equal weights divide 9 replicas 3/3/3",
                        anApp().withReplicas(9),
                        List.of(aCluster("a"), aCluster("b"), aCluster("c")),
                        Map.of("a", 3, "b", 3, "c", 3),
                        0),
                // 10 x 1/3 = 3.33 each; floors 3/3/3, 1 left: equal fractions, weights and scores
                // -> the
                // smallest tie key. tie keys of t1/web (ClusterOrderTest): c 0x5f2a44cb208020b6 < a
                // 0xab67c109d257b8f2 < b 0xbda1675e4c4097bc
                arguments(
                        "the unit left by equal shares goes to the smallest tie key, not the first name",
                        anApp().withReplicas(10),
                        List.of(aCluster("c"), aCluster("b"), aCluster("a")),
                        Map.of("a", 3, "b", 3, "c", 4),
                        0),
                // the same with b emptier (a and c have 1000m requested): b scores higher and goes
                // first
                arguments(
                        "the unit left by equal shares goes to the emptier cluster first",
                        anApp().withReplicas(10),
                        List.of(
                                aCluster("c").withRequested(1000, 0, 0),
                                aCluster("b"),
                                aCluster("a").withRequested(1000, 0, 0)),
                        Map.of("a", 3, "b", 4, "c", 3),
                        0),
                // the same with c costlier (0.5 per CPU-hour lowers its score by 0.0005): a is next
                // by tie key
                arguments(
                        "a costlier cluster loses the tie to a cheaper one",
                        anApp().withReplicas(10),
                        List.of(aCluster("c").withCost(0.5), aCluster("b"), aCluster("a")),
                        Map.of("a", 4, "b", 3, "c", 3),
                        0),
                // 9 x 2/3 = 6, 9 x 1/3 = 3
                arguments(
                        "static weights 2:1 divide 9 replicas 6/3",
                        anApp().withReplicas(9).staticWeights(weight("a", 2), weight("b", 1)),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 6, "b", 3),
                        0),
                // 10 x 1/3 = 3.33, 10 x 2/3 = 6.67; floors 3 + 6, 1 left -> larger fraction (b .67)
                arguments(
                        "the unit left goes to the largest fractional part",
                        anApp().withReplicas(10).staticWeights(weight("a", 1), weight("b", 2)),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 3, "b", 7),
                        0),
                // 2 x 1/4 = 0.5, 2 x 3/4 = 1.5; floors 0 + 1, 1 left: equal fractions -> higher
                // weight (b)
                arguments(
                        "equal fractional parts go to the higher weight",
                        anApp().withReplicas(2).staticWeights(weight("a", 1), weight("b", 3)),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("b", 2),
                        0),
                arguments(
                        "no weights list means weight 1 for every cluster",
                        anApp().withReplicas(4).staticWeights(),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 2, "b", 2),
                        0),
                arguments(
                        "a cluster that matches no weight entry gets nothing",
                        anApp().withReplicas(4).staticWeights(weight("a", 1)),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 4),
                        0),
                arguments(
                        "a weight-0 cluster takes no overflow even when the others are full",
                        anApp().withReplicas(6).staticWeights(weight("a", 1), weight("b", 0)),
                        List.of(aCluster("a").fitting(4), aCluster("b")),
                        Map.of("a", 4),
                        2),
                // a matches {a} (1) and {idc=x} (3) -> 3; b matches {b} (1) -> 1; 8 x 3/4 = 6, 8 x
                // 1/4 = 2
                arguments(
                        "a cluster matching several weight entries takes the largest",
                        anApp().withReplicas(8)
                                .staticWeights(
                                        weight("a", 1),
                                        weight(ClusterSelector.label("idc", "x"), 3),
                                        weight("b", 1)),
                        List.of(aCluster("a").withLabel("idc", "x"), aCluster("b")),
                        Map.of("a", 6, "b", 2),
                        0),
                // a is capped by fit at 1; the other 8 divide 4/4
                arguments(
                        "what a full cluster cannot take is divided among the others by weight",
                        anApp().withReplicas(9),
                        List.of(aCluster("a").fitting(1), aCluster("b"), aCluster("c")),
                        Map.of("a", 1, "b", 4, "c", 4),
                        0),
                arguments(
                        "what fits nowhere is unschedulable",
                        anApp().withReplicas(10),
                        List.of(aCluster("a").fitting(3), aCluster("b").fitting(4)),
                        Map.of("a", 3, "b", 4),
                        3),
                // weights = fits 2 and 6; 4 x 2/8 = 1, 4 x 6/8 = 3
                arguments(
                        "DYNAMIC weighs each cluster by what fits",
                        anApp().withReplicas(4).dynamic(),
                        List.of(aCluster("a").fitting(2), aCluster("b").fitting(6)),
                        Map.of("a", 1, "b", 3),
                        0),
                // weights 3 and 5; 10 > 8 fits: everything that fits, 2 unschedulable
                arguments(
                        "DYNAMIC fills every cluster when replicas exceed what fits",
                        anApp().withReplicas(10).dynamic(),
                        List.of(aCluster("a").fitting(3), aCluster("b").fitting(5)),
                        Map.of("a", 3, "b", 5),
                        2),
                // b max 2: a gets 7
                arguments(
                        "maxReplicas caps a share and the rest goes to the others",
                        anApp().withReplicas(9).withLimit(ClusterSelector.names("b"), null, 2),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 7, "b", 2),
                        0),
                // a weight 1 min 4, b weight 9: λ·1 < 4 -> a 4; b 6
                arguments(
                        "minReplicas raises a small share",
                        anApp().withReplicas(10)
                                .staticWeights(weight("a", 1), weight("b", 9))
                                .withLimit(ClusterSelector.names("a"), 4, null),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 4, "b", 6),
                        0),
                // entries: {a,b} min 1 max 5 and {a} min 3 max 4 -> a: min 3 max 4, b: min 1 max 5;
                // 7 replicas: a = clamp(λ, 3, 4) = 3, b = clamp(100λ, 1, 5) = 4 at λ = 0.04
                arguments(
                        "of several matching limits the largest min and the smallest max apply",
                        anApp().withReplicas(7)
                                .staticWeights(weight("a", 1), weight("b", 100))
                                .withLimit(ClusterSelector.names("a", "b"), 1, 5)
                                .withLimit(ClusterSelector.names("a"), 3, 4),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 3, "b", 4),
                        0),
                // the same limits with 10 replicas: both at their max (4 + 5), 1 fits nowhere
                arguments(
                        "the smallest matching max holds even when replicas are left over",
                        anApp().withReplicas(10)
                                .staticWeights(weight("a", 1), weight("b", 100))
                                .withLimit(ClusterSelector.names("a", "b"), 1, 5)
                                .withLimit(ClusterSelector.names("a"), 3, 4),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 4, "b", 5),
                        1),
                arguments(
                        "a min above what fits is capped by what fits",
                        anApp().withReplicas(10)
                                .staticWeights(weight("a", 1), weight("b", 100))
                                .withLimit(ClusterSelector.names("a"), 5, null),
                        List.of(aCluster("a").fitting(2), aCluster("b")),
                        Map.of("a", 2, "b", 8),
                        0),
                arguments(
                        "a min above the max is lowered to the max",
                        anApp().withReplicas(10)
                                .staticWeights(weight("a", 1), weight("b", 100))
                                .withLimit(ClusterSelector.names("a"), 6, 3),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("a", 3, "b", 7),
                        0),
                // mins 3+3+3 = 9 > 5: by weight desc then cluster order: a (w2) 3, then c before b
                // (w1, equal
                // scores, tie keys of t1/web (ClusterOrderTest): c 0x5f2a44cb208020b6 < a
                // 0xab67c109d257b8f2 < b 0xbda1675e4c4097bc): c 2, b 0
                arguments(
                        "mins adding up to more than replicas are given by higher weight, then cluster order",
                        anApp().withReplicas(5)
                                .staticWeights(weight("a", 2), weight("b", 1), weight("c", 1))
                                .withLimit(ClusterSelector.ALL, 3, null),
                        List.of(aCluster("a"), aCluster("b"), aCluster("c")),
                        Map.of("a", 3, "c", 2),
                        0),
                arguments(
                        "maxReplicas 0 keeps a cluster out",
                        anApp().withReplicas(4).withLimit(ClusterSelector.names("a"), null, 0),
                        List.of(aCluster("a"), aCluster("b")),
                        Map.of("b", 4),
                        0),
                arguments(
                        "zero replicas place nothing and nothing is unschedulable",
                        anApp().withReplicas(0),
                        List.of(aCluster("a")),
                        Map.of(),
                        0),
                arguments(
                        "no clusters leave every replica unschedulable",
                        anApp().withReplicas(3),
                        List.of(),
                        Map.of(),
                        3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void divides(
            String behaviour,
            AppBuilder app,
            List<ClusterBuilder> clusters,
            Map<String, Integer> expected,
            int unschedulable) {
        Placement p = Fixtures.place(app, clusters.toArray(new ClusterBuilder[0]));

        assertThat(p.asMap()).isEqualTo(expected);
        assertThat(p.unschedulable()).isEqualTo(unschedulable);
        assertThat(p.unschedulableReason() != null).isEqualTo(unschedulable > 0);
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName(
            "the unschedulable reason names the full clusters and the weight-0 ones")
    void reasonNamesTheConstraints() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(6).staticWeights(weight("a", 1), weight("b", 0)),
                        aCluster("a").fitting(4),
                        aCluster("b"));

        assertThat(p.unschedulableReason())
                .isEqualTo(
                        "2 replicas fit nowhere: a is full (fits 4), b: weight 0: takes no part in the division");
        assertThat(p.decisionOf("b").feasible()).isTrue();
        assertThat(p.decisionOf("b").weight()).isZero();
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName(
            "a cluster whose min is not met because the mins exceed replicas says so")
    void minNotMetNote() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(2).withLimit(ClusterSelector.ALL, 2, null),
                        aCluster("a"),
                        aCluster("b"));

        assertThat(p.asMap()).isEqualTo(Map.of("a", 2));
        assertThat(p.decisionOf("b").note()).isEqualTo("below minReplicas 2");
    }
}
