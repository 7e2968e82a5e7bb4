package dev.fedplane.controlplane.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.controlplane.placement.StoredPlacement;
import dev.fedplane.controlplane.store.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlacementDigestTest {
    private static StoredPlacement placement(Map<String, Integer> shares, double score, long at) {
        List<Explanation.Decision> clusters =
                List.of(
                        new Explanation.Decision("a", true, null, 1, 1, score, 2, ""),
                        new Explanation.Decision("b", false, "cordoned", 0, 0, 0, 0, ""));
        return new StoredPlacement(
                "hash-1",
                3,
                shares,
                new Explanation(List.of(new Explanation.Share("a", 2)), 0, "", clusters, 3, at));
    }

    @Test
    @DisplayName(
            "the same decision computed later is the same; its stored form keeps the stored time")
    void sameDecisionAtAnotherTime() {
        StoredPlacement stored = placement(Map.of("a", 2), 0.5, 1000);
        PlacementDigest d = PlacementDigest.ofJson(Json.write(stored));

        StoredPlacement later = placement(Map.of("a", 2), 0.5, 9000);

        assertThat(d.sameDecision(later)).isTrue();
        assertThat(d.withTimeOf(later)).isEqualTo(stored);
    }

    @Test
    @DisplayName("other shares, another generation or another explanation are a different decision")
    void differentDecisions() {
        PlacementDigest d = PlacementDigest.of(placement(Map.of("a", 2), 0.5, 1000));

        assertThat(d.sameDecision(placement(Map.of("a", 1, "b", 1), 0.5, 1000))).isFalse();
        StoredPlacement unplaced = placement(Map.of("a", 2), 0.5, 1000);
        unplaced =
                new StoredPlacement(
                        "hash-1",
                        3,
                        Map.of("a", 2),
                        new Explanation(
                                unplaced.explanation().placements(),
                                1,
                                "no room",
                                unplaced.explanation().clusters(),
                                3,
                                1000));
        assertThat(d.sameDecision(unplaced)).isFalse();
        StoredPlacement otherGeneration = placement(Map.of("a", 2), 0.5, 1000);
        otherGeneration =
                new StoredPlacement(
                        "hash-1", 4, otherGeneration.shares(), otherGeneration.explanation());
        assertThat(d.sameDecision(otherGeneration)).isFalse();
        StoredPlacement otherPolicy =
                new StoredPlacement(
                        "hash-2", 3, Map.of("a", 2), placement(Map.of(), 0.5, 1).explanation());
        assertThat(d.sameDecision(otherPolicy)).isFalse();
    }

    @Test
    @DisplayName(
            "verdicts of other clusters moving (scores, health) alone are not a new decision to write")
    void verdictsAloneAreNoNewDecision() {
        PlacementDigest d = PlacementDigest.of(placement(Map.of("a", 2), 0.5, 1000));

        assertThat(d.sameDecision(placement(Map.of("a", 2), 0.75, 2000))).isTrue();
    }

    @Test
    @DisplayName("no placement has no digest; an unreadable one fails the same way every time")
    void missingAndUnreadable() {
        assertThat(PlacementDigest.ofJson(null)).isNull();
        assertThat(PlacementDigest.ofJson("")).isNull();

        PlacementDigest bad = PlacementDigest.ofJson("{\"policyHash\": [not json");

        assertThat(bad.sameDecision(placement(Map.of("a", 2), 0.5, 1000))).isFalse();
        assertThatThrownBy(bad::throwIfUnreadable)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stored placement unreadable");
        assertThatThrownBy(bad::throwIfUnreadable).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("the digest holds the shares but not the per-cluster verdicts")
    void digestIsSmall() {
        PlacementDigest d = PlacementDigest.of(placement(Map.of("a", 2), 0.5, 1000));

        assertThat(d.shares()).isEqualTo(Map.of("a", 2));
        assertThat(d.policyHash()).isEqualTo("hash-1");
        assertThat(d.generation()).isEqualTo(3);
        assertThat(d.explained()).isTrue();
    }
}
