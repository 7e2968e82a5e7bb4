package dev.fedplane.controlplane.reconcile;

import static dev.fedplane.controlplane.testing.DomainFixtures.aTenant;
import static dev.fedplane.controlplane.testing.DomainFixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DesiredStateRendererTest {
    private final PlacementLedger ledger = new PlacementLedger();

    private void place(Tenant t, String app, Map<String, Integer> shares) {
        App a =
                anApp(t.name(), app, shares.values().stream().mapToInt(Integer::intValue).sum())
                        .build();
        ledger.set(new PlacedApp(1, a, shares, PlacedApp.perReplica(a), t, 0, ""));
    }

    @ParameterizedTest(name = "{0} with {1}% headroom is {2}")
    @DisplayName("the headroom raises each quantity by its percentage, rounded up")
    @CsvSource({
        "1000, 25, 1250",
        "1001, 25, 1252", // 1001 x 0.25 = 250.25, rounded up to 251
        "3,    25, 4", // 0.75 rounded up to 1
        "0,    25, 0",
        "1000, 0,  1000"
    })
    void headroom(long value, long percent, long expected) {
        DesiredStateRenderer r = new DesiredStateRenderer(percent);
        assertThat(r.withHeadroom(new Quantities(value, value, value)))
                .isEqualTo(new Quantities(expected, expected, expected));
    }

    @Test
    @DisplayName(
            "each tenant with replicas in the cluster gets a namespace with its labels and a quota of its replicas plus headroom")
    void namespaces() {
        Tenant shop = aTenant("shop").build();
        Tenant bank = aTenant("bank").build();
        place(shop, "web", Map.of("a", 2, "b", 1));
        place(shop, "cart", Map.of("a", 2));
        place(bank, "api", Map.of("b", 3));

        DesiredState a = new DesiredStateRenderer(25).render("a", ledger, name -> null);

        assertThat(a.workloads()).containsOnlyKeys("shop/cart", "shop/web");
        assertThat(a.namespaces()).containsOnlyKeys("shop");
        DesiredState.Namespace ns = a.namespaces().get("shop");
        assertThat(ns.labels()).isEqualTo(Map.of("team", "shop"));
        // 4 replicas x (500m, 512 MiB, 1 pod) = 2000m, 2048 MiB, 4 pods; + 25%.
        assertThat(ns.quota()).isEqualTo(new Quantities(2500, 2560, 5));
    }

    @Test
    @DisplayName("a tenant's per-cluster cap lowers its namespace quota there and only there")
    void caps() {
        Tenant shop = aTenant("shop").withClusterCap("a", 1800L, null, 4L).build();
        place(shop, "web", Map.of("a", 4, "b", 4));
        DesiredStateRenderer r = new DesiredStateRenderer(25);

        assertThat(r.render("a", ledger, n -> null).namespaces().get("shop").quota())
                .isEqualTo(new Quantities(1800, 2560, 4));
        assertThat(r.render("b", ledger, n -> null).namespaces().get("shop").quota())
                .isEqualTo(new Quantities(2500, 2560, 5));
    }

    @Test
    @DisplayName(
            "only the cross-tenant allows both tenants agreed on are rendered; egress rules always are")
    void networkAgreement() {
        Tenant shop =
                aTenant("shop")
                        .withEgress("10.0.32.0/24", 5978)
                        .allowing(Tenant.Direction.EGRESS, "bank", "api", 8080)
                        .allowing(Tenant.Direction.EGRESS, "mail", "smtp", 25)
                        .build();
        Tenant bank =
                aTenant("bank").allowing(Tenant.Direction.INGRESS, "shop", "api", 8080).build();
        Tenant mail = aTenant("mail").build();
        place(shop, "web", Map.of("a", 1));
        Map<String, Tenant> tenants = Map.of("shop", shop, "bank", bank, "mail", mail);

        Tenant.NetworkRules rules =
                new DesiredStateRenderer(25)
                        .render("a", ledger, tenants::get)
                        .namespaces()
                        .get("shop")
                        .network();

        assertThat(rules.egress())
                .containsExactly(new Tenant.EgressRule("10.0.32.0/24", 5978, "TCP"));
        assertThat(rules.crossTenant())
                .containsExactly(
                        new Tenant.CrossTenantRule(Tenant.Direction.EGRESS, "bank", "api", 8080));
    }

    @Test
    @DisplayName("a cluster without Fedplane workloads has no namespaces")
    void empty() {
        place(aTenant("shop").build(), "web", Map.of("a", 1));

        DesiredState b = new DesiredStateRenderer(25).render("b", ledger, n -> null);

        assertThat(b.namespaces()).isEmpty();
        assertThat(b.workloads()).isEmpty();
    }

    @Test
    @DisplayName("a negative headroom is refused")
    void negativeHeadroom() {
        assertThatThrownBy(() -> new DesiredStateRenderer(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
