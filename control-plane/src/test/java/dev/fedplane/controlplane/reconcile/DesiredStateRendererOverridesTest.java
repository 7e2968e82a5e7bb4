package dev.fedplane.controlplane.reconcile;

import static dev.fedplane.controlplane.testing.DomainFixtures.aTenant;
import static dev.fedplane.controlplane.testing.DomainFixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The renderer gives each cluster the app's effective spec there. */
class DesiredStateRendererOverridesTest {
    private final PlacementLedger ledger = new PlacementLedger();
    private final Tenant shop = aTenant("shop").build();

    private App placed(App.ClusterOverride... overrides) {
        App a = anApp("shop", "web", 4).withOverrides(overrides).build();
        ledger.set(
                new PlacedApp(
                        1, a, Map.of("bj-1", 2, "sh-1", 2), PlacedApp.perReplica(a), shop, 0, ""));
        return a;
    }

    private static App.ClusterOverride bj() {
        return new App.ClusterOverride(
                "bj",
                new ClusterSelector(List.of(), Map.of("idc", "bj"), List.of()),
                "harbor.bj.example",
                "",
                List.of(new App.EnvVar("REGION", "bj")),
                List.of(),
                250,
                0,
                Map.of("team", "checkout"),
                Map.of("example.com/owner", "ops-bj"),
                0);
    }

    @Test
    void a_matching_cluster_gets_the_overridden_workload_and_a_quota_of_the_effective_requests() {
        placed(bj());

        DesiredState s =
                new DesiredStateRenderer(0).render("bj-1", Map.of("idc", "bj"), ledger, n -> null);

        DesiredState.Workload w = s.workloads().get("shop/web");
        assertThat(w.image()).isEqualTo("harbor.bj.example/web:1.0");
        assertThat(w.cpuMillis()).isEqualTo(250);
        assertThat(w.memoryMiB()).isEqualTo(512);
        assertThat(w.env()).containsExactly(new App.EnvVar("REGION", "bj"));
        assertThat(w.labels()).isEqualTo(Map.of("team", "checkout"));
        assertThat(w.annotations()).isEqualTo(Map.of("example.com/owner", "ops-bj"));
        assertThat(w.replicas()).isEqualTo(2);
        // 2 replicas x (250m, 512 MiB, 1 pod), no headroom.
        assertThat(s.namespaces().get("shop").quota()).isEqualTo(new Quantities(500, 1024, 2));
    }

    @Test
    void a_cluster_no_override_matches_gets_the_apps_own_spec() {
        placed(bj());

        DesiredState s =
                new DesiredStateRenderer(0).render("sh-1", Map.of("idc", "sh"), ledger, n -> null);

        DesiredState.Workload w = s.workloads().get("shop/web");
        assertThat(w.image()).isEqualTo("registry.example/web:1.0");
        assertThat(w.cpuMillis()).isEqualTo(500);
        assertThat(w.env()).isEmpty();
        assertThat(w.labels()).isEmpty();
        assertThat(w.annotations()).isEmpty();
        assertThat(s.namespaces().get("shop").quota()).isEqualTo(new Quantities(1000, 1024, 2));
    }

    @Test
    void relabelling_a_cluster_changes_what_it_is_rendered() {
        placed(bj());
        DesiredStateRenderer r = new DesiredStateRenderer(0);

        DesiredState before = r.render("sh-1", Map.of("idc", "sh"), ledger, n -> null);
        DesiredState after = r.render("sh-1", Map.of("idc", "bj"), ledger, n -> null);

        assertThat(DesiredState.diff(before, after).upsertWorkloads())
                .singleElement()
                .satisfies(w -> assertThat(w.image()).isEqualTo("harbor.bj.example/web:1.0"));
    }

    @Test
    void a_rendered_state_with_override_labels_reads_back_equal_from_its_stored_json() {
        placed(bj());
        DesiredState s =
                new DesiredStateRenderer(25).render("bj-1", Map.of("idc", "bj"), ledger, n -> null);

        DesiredState back =
                dev.fedplane.controlplane.store.Json.read(
                        dev.fedplane.controlplane.store.Json.write(s), DesiredState.class);

        assertThat(back).isEqualTo(s);
        assertThat(back.workloads().get("shop/web").labels()).containsEntry("team", "checkout");
    }

    @Test
    void a_workload_running_another_template_keeps_it_with_the_overrides_on_top() {
        App a = placed(bj());
        DesiredState.Workload older =
                new DesiredState.Workload(
                        "shop",
                        "web",
                        a.generation(),
                        "registry.example/web:0.9",
                        2,
                        400,
                        256,
                        List.of(),
                        List.of(new App.EnvVar("OLD", "1")),
                        0,
                        0,
                        0,
                        null,
                        null);

        DesiredState.Workload w =
                older.with(
                        dev.fedplane.controlplane.app.Overrides.resolve(
                                older.image(),
                                older.cpuMillis(),
                                older.memoryMiB(),
                                older.env(),
                                a.spec().overrides(),
                                "bj-1",
                                Map.of("idc", "bj")));

        assertThat(w.image()).isEqualTo("harbor.bj.example/web:0.9");
        assertThat(w.cpuMillis()).isEqualTo(250);
        assertThat(w.memoryMiB()).isEqualTo(256);
        assertThat(w.env())
                .containsExactly(new App.EnvVar("OLD", "1"), new App.EnvVar("REGION", "bj"));
    }
}
