package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static dev.fedplane.scheduler.Fixtures.weight;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * KubeFed's ReplicaSchedulingPreference examples (kubefed docs/userguide.md, section
 * "ReplicaSchedulingPreference", three clusters A, B and C), re-derived from OUR rules. Only the
 * numbers are KubeFed's; the expected results are ours, and each test says where they agree.
 */
class KubeFedRspExampleTest {

    private final Scheduler scheduler = new Scheduler();

    @Test
    @DisplayName("9 replicas without preferences: 3 each in A, B and C (agrees with KubeFed)")
    void evenly() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(9), aCluster("A"), aCluster("B"), aCluster("C"));

        assertThat(p.asMap()).isEqualTo(Map.of("A", 3, "B", 3, "C", 3));
    }

    @Test
    @DisplayName(
            "9 replicas with weights A 1, B 2: A 3, B 6, C none as it has no weight (agrees with KubeFed)")
    void weighted() {
        // 9 x 1/3 = 3, 9 x 2/3 = 6; C matches no entry: weight 0
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(9).staticWeights(weight("A", 1), weight("B", 2)),
                        aCluster("A"),
                        aCluster("B"),
                        aCluster("C"));

        assertThat(p.asMap()).isEqualTo(Map.of("A", 3, "B", 6));
    }

    @Test
    @DisplayName(
            "9 replicas, A weight 1 min 4 max 6, B weight 2 min 4 max 8: A 4, B 5 (agrees with KubeFed)")
    void weightedWithLimits() {
        // clamp(λ·1, 4, 6) + clamp(λ·2, 4, 8) = 9 -> λ = 2.5: A = 4 (its min), B = 5
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(9)
                                .staticWeights(weight("A", 1), weight("B", 2))
                                .withLimit(ClusterSelector.names("A"), 4, 6)
                                .withLimit(ClusterSelector.names("B"), 4, 8),
                        aCluster("A"),
                        aCluster("B"),
                        aCluster("C"));

        assertThat(p.asMap()).isEqualTo(Map.of("A", 4, "B", 5));
    }

    @Test
    @DisplayName(
            "50 replicas evenly with C at most 20, all with capacity: A 16, B 17, C 17 (agrees with KubeFed)")
    void evenlyCappedAllCapacity() {
        // 50 / 3 = 16.67 each, C's max 20 does not bind; floors 16 x 3 = 48, 2 units left: equal
        // fractions,
        // weights and scores -> the smallest tie keys of t1/web: C 0x8f207a3df752de85, B
        // 0x9e8bb44b4979ec0b
        // (A 0xa406c71c60c5e3fa is last). KubeFed also orders ties by a hash, and here it picks the
        // same two.
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(50).withLimit(ClusterSelector.names("C"), null, 20),
                        aCluster("A"),
                        aCluster("B"),
                        aCluster("C"));

        assertThat(p.asMap()).isEqualTo(Map.of("A", 16, "B", 17, "C", 17));
    }

    @Test
    @DisplayName("50 replicas, C at most 20, B offline: A 30, C 20 (agrees with KubeFed)")
    void evenlyCappedBOffline() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(50).withLimit(ClusterSelector.names("C"), null, 20),
                        aCluster("A"),
                        aCluster("B").withState(ClusterState.NOT_READY),
                        aCluster("C"));

        assertThat(p.asMap()).isEqualTo(Map.of("A", 30, "C", 20));
        assertThat(p.unschedulable()).isZero();
    }

    @Test
    @DisplayName(
            "50 replicas, C at most 20, A and B offline: C 20 and 30 unschedulable, explained (KubeFed: C 20, silently)")
    void evenlyCappedAAndBOffline() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(50).withLimit(ClusterSelector.names("C"), null, 20),
                        aCluster("A").withState(ClusterState.NOT_READY),
                        aCluster("B").withState(ClusterState.NOT_READY),
                        aCluster("C"));

        assertThat(p.asMap()).isEqualTo(Map.of("C", 20));
        assertThat(p.unschedulable()).isEqualTo(30);
        assertThat(p.unschedulableReason())
                .isEqualTo(
                        "30 replicas fit nowhere: A is NOT_READY, B is NOT_READY, C is at maxReplicas 20");
    }
}
