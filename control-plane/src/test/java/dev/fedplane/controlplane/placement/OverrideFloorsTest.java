package dev.fedplane.controlplane.placement;

import static dev.fedplane.controlplane.testing.DomainFixtures.aCluster;
import static dev.fedplane.controlplane.testing.DomainFixtures.aTenant;
import static dev.fedplane.controlplane.testing.DomainFixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.reconcile.AppPlacer;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.Scheduler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replicas floors become per-cluster minimums of the scheduler request. */
class OverrideFloorsTest {
    private final Scheduler scheduler = new Scheduler();
    private final List<Cluster> clusters =
            List.of(
                    aCluster("bj-1")
                            .withLabel("idc", "bj")
                            .withAllocatable(64_000, 262_144, 110)
                            .build(),
                    aCluster("bj-2")
                            .withLabel("idc", "bj")
                            .withAllocatable(64_000, 262_144, 110)
                            .build(),
                    aCluster("sh-1")
                            .withLabel("idc", "sh")
                            .withAllocatable(64_000, 262_144, 110)
                            .build());

    private static App.ClusterOverride floor(String name, ClusterSelector on, int floor) {
        return new App.ClusterOverride(
                name, on, "", "", List.of(), List.of(), 0, 0, Map.of(), Map.of(), floor);
    }

    private static ClusterSelector label(String k, String v) {
        return new ClusterSelector(List.of(), Map.of(k, v), List.of());
    }

    private Map<String, Integer> place(App app) {
        Placement p =
                scheduler.place(
                        SchedulerRequests.request(
                                app,
                                aTenant(app.tenant()).build(),
                                SchedulerRequests.snapshot(clusters),
                                Quantities.ZERO,
                                null));
        return p.asMap();
    }

    @Test
    void without_a_floor_the_weights_decide() {
        App app =
                anApp("shop", "web", 10)
                        .withWeight(1, "bj-1", "bj-2")
                        .withWeight(8, "sh-1")
                        .build();

        assertThat(place(app)).isEqualTo(Map.of("bj-1", 1, "bj-2", 1, "sh-1", 8));
    }

    @Test
    void a_floor_gives_every_matching_participant_at_least_that_many() {
        App app =
                anApp("shop", "web", 10)
                        .withWeight(1, "bj-1", "bj-2")
                        .withWeight(8, "sh-1")
                        .withOverrides(floor("bj", label("idc", "bj"), 3))
                        .build();

        Map<String, Integer> shares = place(app);

        assertThat(shares.get("bj-1")).isGreaterThanOrEqualTo(3);
        assertThat(shares.get("bj-2")).isGreaterThanOrEqualTo(3);
        assertThat(shares.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    }

    @Test
    void a_later_overrides_smaller_floor_wins_for_the_clusters_it_matches() {
        App app =
                anApp("shop", "web", 10)
                        .withWeight(1, "bj-1", "bj-2")
                        .withWeight(8, "sh-1")
                        .withOverrides(
                                floor("bj", label("idc", "bj"), 3),
                                floor(
                                        "bj-2-small",
                                        new ClusterSelector(List.of("bj-2"), Map.of(), List.of()),
                                        1))
                        .build();

        Map<String, Integer> shares = place(app);

        assertThat(shares.get("bj-1")).isGreaterThanOrEqualTo(3);
        assertThat(shares.get("bj-2")).isEqualTo(1);
    }

    @Test
    void a_floor_is_a_placement_change_for_stability_but_other_overrides_are_not() {
        App plain = anApp("shop", "web", 10).build();
        App labelled =
                anApp("shop", "web", 10)
                        .withOverrides(
                                new App.ClusterOverride(
                                        "bj",
                                        label("idc", "bj"),
                                        "harbor.bj.example",
                                        "",
                                        List.of(),
                                        List.of(),
                                        0,
                                        0,
                                        Map.of("team", "x"),
                                        Map.of(),
                                        0))
                        .build();
        App floored =
                anApp("shop", "web", 10).withOverrides(floor("bj", label("idc", "bj"), 2)).build();

        assertThat(AppPlacer.placementHash(labelled.spec()))
                .isEqualTo(AppPlacer.placementHash(plain.spec()))
                .isEqualTo(AppPlacer.policyHash(plain.spec().placement()));
        assertThat(AppPlacer.placementHash(floored.spec()))
                .isNotEqualTo(AppPlacer.placementHash(plain.spec()));
    }
}
