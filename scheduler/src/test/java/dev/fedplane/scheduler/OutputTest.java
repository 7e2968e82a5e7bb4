package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Output ordering, completeness and determinism. */
class OutputTest {

    @Test
    @DisplayName("placements hold only clusters with replicas, sorted by name")
    void placementsSortedByName() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(2),
                        aCluster("zeta"),
                        aCluster("alpha"),
                        aCluster("mid").withState(ClusterState.LOST),
                        aCluster("beta"));

        assertThat(p.placements())
                .extracting(ClusterReplicas::cluster)
                .containsExactly("alpha", "beta");
    }

    @Test
    @DisplayName("clusters list every input cluster, sorted by name, feasible or not")
    void everyClusterExplained() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(1),
                        aCluster("c"),
                        aCluster("a").withState(ClusterState.LOST),
                        aCluster("b"));

        assertThat(p.clusters())
                .extracting(ClusterDecision::cluster)
                .containsExactly("a", "b", "c");
        assertThat(p.clusters())
                .extracting(ClusterDecision::feasible)
                .containsExactly(false, true, true);
    }

    @Test
    @DisplayName("the unschedulable reason is null when everything is placed")
    void noReasonWhenPlaced() {
        Placement p = Fixtures.place(anApp().withReplicas(2), aCluster("a"));

        assertThat(p.unschedulable()).isZero();
        assertThat(p.unschedulableReason()).isNull();
    }

    @Test
    @DisplayName("the same request in any cluster order gives the same placement")
    void deterministic() {
        List<ClusterInfo> clusters = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clusters.add(aCluster("c" + i).fitting(i % 7).withLabel("idc", "i" + i % 5).build());
        }
        AppSpec app = anApp().withReplicas(77).dynamic().spreadBy("idc", 3, 4).build();
        Placement first = new Scheduler().place(PlacementRequest.of(app, clusters));
        Collections.reverse(clusters);
        Placement second = new Scheduler().place(PlacementRequest.of(app, clusters));

        assertThat(second).isEqualTo(first);
    }

    @Test
    @DisplayName("duplicate cluster names are refused")
    void duplicateNames() {
        assertThatThrownBy(() -> ClusterSnapshot.of(aCluster("a").build(), aCluster("a").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate cluster name a");
    }

    @Test
    @DisplayName("a higher cost lowers the score and an idle cluster scores above a busy one")
    void scoreOrder() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(1),
                        aCluster("busy").withRequested(32_000, 131_072, 0),
                        aCluster("cheap"),
                        aCluster("dear").withCost(100));

        assertThat(p.decisionOf("cheap").score()).isEqualTo(1.0);
        assertThat(p.decisionOf("dear").score()).isEqualTo(0.9);
        assertThat(p.decisionOf("busy").score()).isEqualTo(0.5);
    }
}
