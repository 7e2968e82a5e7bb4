package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static dev.fedplane.scheduler.Fixtures.weight;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** DESIGN.md, "Scenario format": the worked example and its expected output. */
class DesignExampleTest {

    private static Fixtures.ClusterBuilder idcA1() {
        return aCluster("idc-a-1")
                .withLabel("region", "east")
                .withLabel("idc", "idc-a")
                .withLabel("tier", "idc")
                .withTaint("dedicated", "t1", TaintEffect.NoSchedule)
                .withAllocatable(64_000, 262_144, 1_100)
                .withRequested(12_000, 40_000, 200);
    }

    private static Fixtures.ClusterBuilder idcB1NotReady() {
        return aCluster("idc-b-1")
                .withState(ClusterState.NOT_READY)
                .withLabel("region", "east")
                .withLabel("idc", "idc-b")
                .withLabel("tier", "idc")
                .withTaint("dedicated", "t1", TaintEffect.NoSchedule)
                .withAllocatable(64_000, 262_144, 1_100)
                .withRequested(12_000, 40_000, 200);
    }

    private static Fixtures.AppBuilder designApp() {
        return anApp().withReplicas(9)
                .withResources(500, 512)
                .withAffinity(
                        new ClusterSelector(
                                null,
                                Map.of("region", "east"),
                                java.util.List.of(LabelRequirement.in("idc", "idc-a", "idc-b"))))
                .tolerating(Toleration.equal("dedicated", "t1", TaintEffect.NoSchedule))
                .staticWeights(
                        weight(ClusterSelector.label("idc", "idc-a"), 2),
                        weight(ClusterSelector.label("idc", "idc-b"), 1))
                .withLimit(ClusterSelector.label("idc", "idc-a"), 1, 5)
                .withBurst(true, 10);
    }

    @Test
    @DisplayName(
            "without spread, idc-a-1 is held to maxReplicas 5 and the other 4 replicas fit nowhere")
    void designExampleWithoutSpread() {
        Placement p = Fixtures.place(designApp(), Map.of("idc-a-1", 3), idcA1(), idcB1NotReady());

        assertThat(p.asMap()).containsExactly(Map.entry("idc-a-1", 5));
        assertThat(p.unschedulable()).isEqualTo(4);
        assertThat(p.unschedulableReason())
                .isEqualTo(
                        "4 replicas fit nowhere: idc-a-1 is at maxReplicas 5, idc-b-1 is NOT_READY");
        ClusterDecision a = p.decisionOf("idc-a-1");
        assertThat(a.feasible()).isTrue();
        assertThat(a.weight()).isEqualTo(2);
        assertThat(a.fit()).isEqualTo(104);
        assertThat(a.score()).isCloseTo(0.83, org.assertj.core.data.Offset.offset(0.005));
        ClusterDecision b = p.decisionOf("idc-b-1");
        assertThat(b.feasible()).isFalse();
        assertThat(b.reason()).isEqualTo("state NOT_READY");
        assertThat(b.fit()).isEqualTo(104);
        assertThat(b.replicas()).isZero();
    }

    @Test
    @DisplayName(
            "with the example's spread over 2 idc groups and idc-b NOT_READY, nothing is placed and the reason says so")
    void designExampleWithSpread() {
        Placement p =
                Fixtures.place(
                        designApp().spreadBy("idc", 2, null),
                        Map.of("idc-a-1", 3),
                        idcA1(),
                        idcB1NotReady());

        assertThat(p.placements()).isEmpty();
        assertThat(p.unschedulable()).isEqualTo(9);
        assertThat(p.unschedulableReason())
                .isEqualTo(
                        "spread by idc needs a replica in 2 groups, but only 1 group is available (idc-a)");
    }
}
