package dev.fedplane.controlplane.reconcile;

import static dev.fedplane.controlplane.testing.DomainFixtures.aCluster;
import static dev.fedplane.controlplane.testing.DomainFixtures.aTenant;
import static dev.fedplane.controlplane.testing.DomainFixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlacementLedgerTest {
    private static final Tenant SHOP = aTenant("shop").build();
    private static final Tenant BANK = aTenant("bank").build();

    /** An app of 500m / 512 MiB per replica placed with {@code shares}. */
    private static PlacedApp placed(Tenant t, String name, Map<String, Integer> shares) {
        App app =
                anApp(t.name(), name, shares.values().stream().mapToInt(Integer::intValue).sum())
                        .build();
        return new PlacedApp(1, app, shares, PlacedApp.perReplica(app), t, 0, "");
    }

    @Test
    @DisplayName(
            "setting an app adds what its replicas request to each cluster, to its tenant and to its tenant on each cluster")
    void setAddsRequests() {
        PlacementLedger ledger = new PlacementLedger();
        ledger.set(placed(SHOP, "web", Map.of("a", 2, "b", 1)));
        ledger.set(placed(BANK, "api", Map.of("a", 1)));

        // a: 3 replicas x (500m, 512 MiB, 1 pod); b: 1 replica.
        assertThat(ledger.placedOn("a")).isEqualTo(new Quantities(1500, 1536, 3));
        assertThat(ledger.placedOn("b")).isEqualTo(new Quantities(500, 512, 1));
        assertThat(ledger.placedOfTenant("shop")).isEqualTo(new Quantities(1500, 1536, 3));
        assertThat(ledger.placedOfTenantOn("shop", "a")).isEqualTo(new Quantities(1000, 1024, 2));
        assertThat(ledger.placedOfTenantOn("bank", "b")).isEqualTo(Quantities.ZERO);
        assertThat(ledger.workloadsOn("a")).containsOnlyKeys("bank/api", "shop/web");
        assertThat(ledger.workloadsOn("a").get("shop/web").replicas()).isEqualTo(2);
    }

    @Test
    @DisplayName(
            "setting an app again replaces its previous decision and names the clusters whose workloads changed")
    void setReplaces() {
        PlacementLedger ledger = new PlacementLedger();
        assertThat(ledger.set(placed(SHOP, "web", Map.of("a", 2, "b", 1))))
                .containsExactly("a", "b");

        assertThat(ledger.set(placed(SHOP, "web", Map.of("a", 2, "c", 2))))
                .containsExactly("b", "c");

        assertThat(ledger.placedOn("a")).isEqualTo(new Quantities(1000, 1024, 2));
        assertThat(ledger.placedOn("b")).isEqualTo(Quantities.ZERO);
        assertThat(ledger.placedOn("c")).isEqualTo(new Quantities(1000, 1024, 2));
        assertThat(ledger.placedOfTenant("shop")).isEqualTo(new Quantities(2000, 2048, 4));
        assertThat(ledger.isEmpty("b")).isTrue();
    }

    @Test
    @DisplayName("the same decision again changes no cluster")
    void sameDecisionChangesNothing() {
        PlacementLedger ledger = new PlacementLedger();
        ledger.set(placed(SHOP, "web", Map.of("a", 2)));

        assertThat(ledger.set(placed(SHOP, "web", Map.of("a", 2)))).isEmpty();
        assertThat(ledger.placedOn("a")).isEqualTo(new Quantities(1000, 1024, 2));
    }

    @Test
    @DisplayName("removing an app takes off everything it held and names the clusters it left")
    void removeTakesOff() {
        PlacementLedger ledger = new PlacementLedger();
        ledger.set(placed(SHOP, "web", Map.of("a", 2, "b", 1)));
        ledger.set(placed(SHOP, "cart", Map.of("a", 1)));

        assertThat(ledger.remove(new AppKey("shop", "web"))).containsExactly("a", "b");

        assertThat(ledger.get(new AppKey("shop", "web"))).isNull();
        assertThat(ledger.placedOn("a")).isEqualTo(new Quantities(500, 512, 1));
        assertThat(ledger.placedOfTenant("shop")).isEqualTo(new Quantities(500, 512, 1));
        assertThat(ledger.placedOfTenantOn("shop", "b")).isEqualTo(Quantities.ZERO);
        assertThat(ledger.workloadsOn("a")).containsOnlyKeys("shop/cart");
        assertThat(ledger.keys()).containsExactly(new AppKey("shop", "cart"));
    }

    @Test
    @DisplayName("removing an app that is not placed changes nothing")
    void removeUnknown() {
        PlacementLedger ledger = new PlacementLedger();
        ledger.set(placed(SHOP, "web", Map.of("a", 1)));

        assertThat(ledger.remove(new AppKey("shop", "gone"))).isEmpty();
        assertThat(ledger.placedOn("a")).isEqualTo(new Quantities(500, 512, 1));
    }

    @Test
    @DisplayName("a rebuild starts again from the given apps only")
    void rebuild() {
        PlacementLedger ledger = new PlacementLedger();
        ledger.set(placed(SHOP, "old", Map.of("z", 5)));

        ledger.rebuild(
                List.of(placed(SHOP, "web", Map.of("a", 1)), placed(BANK, "api", Map.of("a", 2))));

        assertThat(ledger.keys())
                .containsExactlyInAnyOrder(new AppKey("shop", "web"), new AppKey("bank", "api"));
        assertThat(ledger.placedOn("z")).isEqualTo(Quantities.ZERO);
        assertThat(ledger.placedOn("a")).isEqualTo(new Quantities(1500, 1536, 3));
    }

    @Test
    @DisplayName(
            "the snapshot without an app counts unmanaged requests and every other app's replicas, not the app's own")
    void snapshotWithout() {
        PlacementLedger ledger = new PlacementLedger();
        PlacedApp web = placed(SHOP, "web", Map.of("a", 2));
        ledger.set(web);
        ledger.set(placed(BANK, "api", Map.of("a", 1)));
        List<Cluster> clusters =
                List.of(
                        aCluster("a").withUnmanagedRequests(4000, 8192, 10).build(),
                        aCluster("b").build());

        ClusterSnapshot without = ledger.snapshotWithout(clusters, web);
        ClusterSnapshot all = ledger.snapshotWithout(clusters, null);

        // a: unmanaged 4000m / 8192 MiB / 10 pods + bank/api's 1 replica (+ shop/web's 2 when
        // counted).
        assertThat(without.cluster(without.indexOf("a")).requested())
                .isEqualTo(Resources.of(4500, 8704, 11));
        assertThat(all.cluster(all.indexOf("a")).requested())
                .isEqualTo(Resources.of(5500, 9728, 13));
        assertThat(without.cluster(without.indexOf("b")).requested())
                .isEqualTo(Resources.of(0, 0, 0));
    }

    @Test
    @DisplayName(
            "snapshots reuse each cluster's view until the cluster or what is placed there changes")
    void snapshotIsIncremental() {
        PlacementLedger ledger = new PlacementLedger();
        ledger.set(placed(SHOP, "web", Map.of("a", 2)));
        Cluster a = aCluster("a").build();
        Cluster b = aCluster("b").build();
        ClusterSnapshot first = ledger.snapshotWithout(List.of(a, b), null);

        ledger.set(placed(BANK, "api", Map.of("a", 1)));
        ClusterSnapshot second = ledger.snapshotWithout(List.of(a, b), null);

        // b did not change: its view is the same object; a's counts bank/api now.
        assertThat(second.cluster(second.indexOf("b"))).isSameAs(first.cluster(first.indexOf("b")));
        assertThat(second.cluster(second.indexOf("a")).requested())
                .isEqualTo(Resources.of(1500, 1536, 3));

        // A newer read of cluster b (another pass) is looked at again.
        Cluster cordonedB = aCluster("b").cordoned().build();
        ClusterSnapshot third = ledger.snapshotWithout(List.of(a, cordonedB), null);
        assertThat(third.cluster(third.indexOf("b")))
                .isNotSameAs(first.cluster(first.indexOf("b")));
        assertThat(third.cluster(third.indexOf("b")).state().name()).isEqualTo("CORDONED");
        assertThat(third.cluster(third.indexOf("a"))).isSameAs(second.cluster(second.indexOf("a")));
    }

    @Test
    @DisplayName(
            "after any sequence of sets and removes the shared snapshot, with or without an app, equals one built from scratch")
    void sharedSnapshotEqualsAFreshOne() {
        java.util.Random random = new java.util.Random(42);
        List<Cluster> clusters = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clusters.add(
                    aCluster("c" + i)
                            .withUnmanagedRequests(random.nextInt(8000), random.nextInt(16384), i)
                            .build());
        }
        PlacementLedger ledger = new PlacementLedger();
        Map<String, PlacedApp> model = new java.util.TreeMap<>();
        for (int step = 0; step < 2_000; step++) {
            String name = "app-" + random.nextInt(12);
            if (random.nextInt(5) == 0) {
                ledger.remove(new AppKey("shop", name));
                model.remove(name);
            } else {
                Map<String, Integer> shares = new java.util.TreeMap<>();
                for (int k = random.nextInt(4); k > 0; k--) {
                    shares.merge("c" + random.nextInt(8), 1 + random.nextInt(3), Integer::sum);
                }
                PlacedApp p = placed(SHOP, name, shares);
                ledger.set(p);
                model.put(name, p);
            }
            if (random.nextInt(50) == 0) {
                // Another pass: a newer read of one cluster.
                int i = random.nextInt(clusters.size());
                clusters.set(
                        i,
                        aCluster("c" + i)
                                .withUnmanagedRequests(random.nextInt(8000), 0, 0)
                                .build());
            }
            PlacedApp without =
                    model.isEmpty() || random.nextBoolean()
                            ? null
                            : new java.util.ArrayList<>(model.values())
                                    .get(random.nextInt(model.size()));
            PlacementLedger fresh = new PlacementLedger();
            fresh.rebuild(model.values());
            assertThat(ledger.snapshotWithout(clusters, without).clusters())
                    .as("step %d", step)
                    .isEqualTo(fresh.snapshotWithout(clusters, without).clusters());
        }
    }
}
