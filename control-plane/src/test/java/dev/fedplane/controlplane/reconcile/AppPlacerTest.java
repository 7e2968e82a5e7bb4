package dev.fedplane.controlplane.reconcile;

import static dev.fedplane.controlplane.testing.DomainFixtures.aCluster;
import static dev.fedplane.controlplane.testing.DomainFixtures.aTenant;
import static dev.fedplane.controlplane.testing.DomainFixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppPlacerTest {
    private static final long NOW = 100_000_000L;
    private static final Tenant SHOP = aTenant("shop").build();

    private final PlacementLedger ledger = new PlacementLedger();
    private final AppPlacer placer = new AppPlacer(Duration.ofSeconds(60), (t, a, c) -> 0);

    private static Map<String, Cluster> clusters(Cluster... cs) {
        Map<String, Cluster> m = new TreeMap<>();
        for (Cluster c : cs) {
            m.put(c.name(), c);
        }
        return m;
    }

    private AppPlacer.Decision place(
            AppPlacer p,
            App app,
            String storedJson,
            Tenant t,
            Map<String, Cluster> clusters,
            long now) {
        return p.place(
                7,
                app,
                storedJson,
                t,
                clusters,
                ledger,
                AppStore.demandOf(t.name(), app.spec()),
                now);
    }

    /**
     * Places {@code app} and records it as the reconciler would; the stored JSON of the decision.
     */
    private String placeAndRecord(App app, Map<String, Cluster> clusters) {
        AppPlacer.Decision d = place(placer, app, null, SHOP, clusters, NOW - 1000);
        ledger.set(d.placed());
        return Json.write(d.placement());
    }

    @Test
    @DisplayName(
            "a new app is divided over the ready clusters, is Scheduled and waits to be Available")
    void newApp() {
        App web = anApp("shop", "web", 4).build();

        AppPlacer.Decision d =
                place(
                        placer,
                        web,
                        null,
                        SHOP,
                        clusters(aCluster("a").build(), aCluster("b").build()),
                        NOW);

        assertThat(d.placed().shares()).isEqualTo(Map.of("a", 2, "b", 2));
        assertThat(d.changed()).isTrue();
        assertThat(d.lookAgainInMillis()).isZero();
        assertThat(d.placement().generation()).isEqualTo(1);
        assertThat(d.placement().explanation().placements())
                .containsExactly(new Explanation.Share("a", 2), new Explanation.Share("b", 2));
        assertThat(d.status().conditions())
                .extracting(App.Condition::type, App.Condition::status, App.Condition::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "Scheduled", "True", "4 replica(s) placed in 2 cluster(s)"),
                        org.assertj.core.groups.Tuple.tuple("Available", "False", "0 of 4 ready"));
        assertThat(d.status().clusters())
                .containsExactly(
                        new App.ClusterReplicas("a", 2, 0), new App.ClusterReplicas("b", 2, 0));
    }

    @Test
    @DisplayName("the same decision again with the same status is not written again")
    void sameDecisionNotWritten() {
        Map<String, Cluster> cs = clusters(aCluster("a").build(), aCluster("b").build());
        App web = anApp("shop", "web", 4).build();
        AppPlacer.Decision first = place(placer, web, null, SHOP, cs, NOW);
        ledger.set(first.placed());
        App stored = anApp("shop", "web", 4).withStatus(first.status()).build();

        AppPlacer.Decision again =
                place(placer, stored, Json.write(first.placement()), SHOP, cs, NOW + 5000);

        assertThat(again.changed()).isFalse();
        assertThat(again.placement()).isEqualTo(first.placement());
        assertThat(again.status()).isEqualTo(first.status());
    }

    @Test
    @DisplayName(
            "ready replicas come from the agents' reports and make the app Available once all are ready")
    void readyReplicas() {
        AppPlacer reported =
                new AppPlacer(Duration.ofSeconds(60), (t, a, c) -> c.equals("a") ? 2 : 5);
        App web = anApp("shop", "web", 4).build();

        AppPlacer.Decision d =
                place(
                        reported,
                        web,
                        null,
                        SHOP,
                        clusters(aCluster("a").build(), aCluster("b").build()),
                        NOW);

        // b reports 5 ready but only 2 are desired there: ready is capped at desired.
        assertThat(d.status().clusters())
                .containsExactly(
                        new App.ClusterReplicas("a", 2, 2), new App.ClusterReplicas("b", 2, 2));
        assertThat(d.status().conditions().get(1))
                .extracting(App.Condition::status, App.Condition::message)
                .containsExactly("True", "4 of 4 ready");
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("replicas on a cluster that is not ready, cordoned or lost")
    @CsvSource(
            delimiter = '|',
            value = {
                "a NOT_READY cluster keeps its replicas until it is lost          | NOT_READY | false | 4 | a=2,b=2 | not ready: keeps its 2 replica(s) until it is lost",
                "a CORDONED cluster keeps its replicas and takes no new ones      | READY     | true  | 6 | a=2,b=4 | cordoned: keeps its 2 replica(s), takes no new ones",
                "a LOST cluster's replicas move to the others                     | LOST      | false | 4 | b=4     | ",
                "pinned replicas are trimmed when the app scales below them       | NOT_READY | false | 1 | a=1     | not ready: keeps its 1 replica(s) until it is lost"
            })
    void pinned(
            String name,
            Cluster.Health healthOfA,
            boolean cordonA,
            int replicas,
            String expected,
            String reasonOfA) {
        App web = anApp("shop", "web", 4).build();
        String stored = placeAndRecord(web, clusters(aCluster("a").build(), aCluster("b").build()));
        var a = aCluster("a").withHealth(healthOfA);
        if (cordonA) {
            a.cordoned();
        }
        App scaled = anApp("shop", "web", replicas).withGeneration(2).build();

        AppPlacer.Decision d =
                place(
                        placer,
                        scaled,
                        stored,
                        SHOP,
                        clusters(a.build(), aCluster("b").build()),
                        NOW);

        Map<String, Integer> want = new TreeMap<>();
        for (String part : expected.split(",")) {
            String[] kv = part.split("=");
            want.put(kv[0], Integer.parseInt(kv[1]));
        }
        assertThat(d.placed().shares()).isEqualTo(want);
        if (reasonOfA != null) {
            assertThat(d.placement().explanation().clusters())
                    .filteredOn(c -> c.cluster().equals("a"))
                    .singleElement()
                    .extracting(Explanation.Decision::reason)
                    .isEqualTo(reasonOfA);
        }
    }

    @ParameterizedTest(
            name = "b READY for {0} s of the 60 s window: shares {1}, look again in {2} ms")
    @DisplayName(
            "failback moves an app to its fresh placement only once every cluster of it has been ready for the window")
    @CsvSource({
        "10, a=4,     50100", // 60 s - 10 s = 50 s to wait, looked at again 100 ms after
        "61, a=2;b=2, 0"
    })
    void failback(long readyForSeconds, String expected, long lookAgain) {
        App web = anApp("shop", "web", 4).withFailback().build();
        String stored = placeAndRecord(web, clusters(aCluster("a").build()));
        Cluster b = aCluster("b").readySince(NOW - readyForSeconds * 1000).build();

        AppPlacer.Decision d =
                place(placer, web, stored, SHOP, clusters(aCluster("a").build(), b), NOW);

        Map<String, Integer> want = new TreeMap<>();
        for (String part : expected.split(";")) {
            String[] kv = part.split("=");
            want.put(kv[0], Integer.parseInt(kv[1]));
        }
        assertThat(d.placed().shares()).isEqualTo(want);
        assertThat(d.lookAgainInMillis()).isEqualTo(lookAgain);
    }

    @Test
    @DisplayName("a tenant's per-cluster cap limits what the app gets in that cluster")
    void perClusterCap() {
        Tenant capped = aTenant("shop").withClusterCap("a", null, null, 1L).build();
        App web = anApp("shop", "web", 4).build();

        AppPlacer.Decision d =
                place(
                        placer,
                        web,
                        null,
                        capped,
                        clusters(aCluster("a").build(), aCluster("b").build()),
                        NOW);

        assertThat(d.placed().shares()).isEqualTo(Map.of("a", 1, "b", 3));
    }

    @Test
    @DisplayName(
            "what the tenant's other apps hold counts against its quota; the rest is unschedulable and said so")
    void quotaLeftByOtherApps() {
        Tenant quota = aTenant("shop").withQuota(null, null, 5L).build();
        Map<String, Cluster> cs = clusters(aCluster("a").build(), aCluster("b").build());
        App cart = anApp("shop", "cart", 3).build();
        AppPlacer.Decision other =
                placer.place(
                        1,
                        cart,
                        null,
                        quota,
                        cs,
                        ledger,
                        AppStore.demandOf("shop", cart.spec()),
                        NOW);
        ledger.set(other.placed());
        App web = anApp("shop", "web", 4).build();
        // By spec the tenant asks for 3 + 4 = 7 replicas; its quota is 5, cart holds 3: web may
        // take 2.
        TenantDemand tenantDemand = new TenantDemand("shop", 7, 7 * 500, 7 * 512);

        AppPlacer.Decision d = placer.place(2, web, null, quota, cs, ledger, tenantDemand, NOW);

        assertThat(d.placed().shares().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(2);
        assertThat(d.placed().unschedulable()).isEqualTo(2);
        assertThat(d.status().conditions().get(0))
                .extracting(App.Condition::status, App.Condition::reason)
                .containsExactly("False", "Unschedulable");
        assertThat(d.status().conditions().get(0).message())
                .startsWith("2 replica(s) could not be placed: ");
    }

    @Test
    @DisplayName("a changed placement policy places afresh instead of keeping the current shares")
    void policyChange() {
        App web = anApp("shop", "web", 4).build();
        String stored = placeAndRecord(web, clusters(aCluster("a").build()));
        App duplicated = anApp("shop", "web", 4).duplicated().withGeneration(2).build();

        AppPlacer.Decision d =
                place(
                        placer,
                        duplicated,
                        stored,
                        SHOP,
                        clusters(aCluster("a").build(), aCluster("b").build()),
                        NOW);

        assertThat(d.placed().shares()).isEqualTo(Map.of("a", 4, "b", 4));
        assertThat(d.placement().policyHash())
                .isNotEqualTo(AppPlacer.policyHash(web.spec().placement()));
    }
}
