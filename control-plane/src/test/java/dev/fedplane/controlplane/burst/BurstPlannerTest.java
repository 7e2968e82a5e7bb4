package dev.fedplane.controlplane.burst;

import static dev.fedplane.controlplane.testing.DomainFixtures.aCluster;
import static dev.fedplane.controlplane.testing.DomainFixtures.aTenant;
import static dev.fedplane.controlplane.testing.DomainFixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The plan computation on a fixed fleet. Replicas are 500m each. IDC: idc-1 and idc-2 hold 10 each
 * (5 CPUs); cloud: cheap (gcp, 0.01/CPU-hour, 10), b (aws, 0.05, 4) and a (aws, 0.10, 10). One
 * replica costs 0.5 x the cluster's price per hour.
 */
class BurstPlannerTest {
    private static final ClusterSelector AWS =
            new ClusterSelector(List.of(), Map.of("provider", "aws"), List.of());

    private final BurstPlanner planner = new BurstPlanner(Duration.ofSeconds(60));

    private static Cluster cluster(
            String name, String tier, String provider, long cpu, double cost) {
        Cluster c =
                aCluster(name)
                        .withLabel("tier", tier)
                        .withLabel("provider", provider)
                        .withAllocatable(cpu, 1_000_000, 1000)
                        .build();
        return new Cluster(
                c.name(),
                c.labels(),
                c.taints(),
                c.health(),
                c.cordoned(),
                c.draining(),
                c.allocatable(),
                c.requested(),
                c.managedRequested(),
                cost,
                c.agentVersion(),
                c.kubernetesVersion(),
                c.lastHeartbeat(),
                c.readySince(),
                c.resourceVersion(),
                c.createdAt(),
                c.updatedAt());
    }

    private static BurstPlanner.Live fleet(Tenant shop, App... apps) {
        Map<String, Cluster> clusters = new TreeMap<>();
        for (Cluster c :
                List.of(
                        cluster("idc-1", "idc", "self", 5000, 0),
                        cluster("idc-2", "idc", "self", 5000, 0),
                        cluster("cloud-cheap", "cloud", "gcp", 5000, 0.01),
                        cluster("cloud-b", "cloud", "aws", 2000, 0.05),
                        cluster("cloud-a", "cloud", "aws", 5000, 0.10))) {
            clusters.put(c.name(), c);
        }
        long replicas = 0;
        long cpu = 0;
        long mem = 0;
        List<AppStore.Stored> stored = new java.util.ArrayList<>();
        long id = 1;
        for (App a : apps) {
            stored.add(new AppStore.Stored(id++, a, null));
            replicas += a.spec().replicas();
            cpu += a.spec().replicas() * a.spec().cpuMillis();
            mem += a.spec().replicas() * a.spec().memoryMiB();
        }
        return new BurstPlanner.Live(
                clusters,
                stored,
                Map.of("shop", shop),
                Map.of("shop", new TenantDemand("shop", replicas, cpu, mem)));
    }

    private static BurstPlanner.Planned at(BurstPlanner.Live live, int index, int replicas) {
        return new BurstPlanner.Planned(live.apps().get(index), replicas);
    }

    @Test
    @DisplayName("what fits in IDC stays in IDC: no cloud replica, no cost")
    void idcFirst() {
        BurstPlanner.Live live = fleet(aTenant("shop").build(), anApp("shop", "web", 4).build());
        BurstPlanner.Result r =
                planner.compute(
                        live, List.of(at(live, 0, 20)), BurstPlan.Budget.NONE, AWS, false, 1);
        assertThat(r.idcReplicas()).isEqualTo(20);
        assertThat(r.cloudReplicas()).isZero();
        assertThat(r.cloudCostPerHour()).isZero();
        assertThat(r.apps().get(0).policy().burst()).isEqualTo(new App.Burst(false, null));
    }

    @Test
    @DisplayName(
            "the overflow goes to the cheapest allowed cloud first (the cheaper gcp cluster is not allowed), up to the replica budget")
    void cheapestAllowedCloudFirstWithinTheReplicaBudget() {
        BurstPlanner.Live live = fleet(aTenant("shop").build(), anApp("shop", "web", 4).build());
        // 28 replicas: 20 in IDC, 8 over; cloud-b takes its 4, cloud-a 2 (budget 6), 2 left.
        BurstPlanner.Result r =
                planner.compute(
                        live,
                        List.of(at(live, 0, 28)),
                        new BurstPlan.Budget(6, null),
                        AWS,
                        false,
                        1);
        BurstPlanner.AppResult web = r.apps().get(0);
        assertThat(web.shares())
                .containsEntry("cloud-b", 4)
                .containsEntry("cloud-a", 2)
                .doesNotContainKey("cloud-cheap");
        assertThat(web.idcReplicas()).isEqualTo(20);
        assertThat(web.unschedulable()).isEqualTo(2);
        // 4 x 0.5 x 0.05 + 2 x 0.5 x 0.10 = 0.1 + 0.1
        assertThat(r.cloudCostPerHour()).isCloseTo(0.2, within(1e-9));
        assertThat(r.notes()).containsExactly("max_cloud_replicas 6 reached");
        assertThat(web.policy().burst()).isEqualTo(new App.Burst(true, 6));
        // Each cluster's load at the peak: now + its share of web (no share before: not placed).
        assertThat(r.clusters())
                .extracting(BurstPlanner.ClusterLevel::cluster)
                .containsExactlyElementsOf(
                        web.shares().entrySet().stream()
                                .filter(e -> e.getValue() > 0)
                                .map(Map.Entry::getKey)
                                .sorted()
                                .toList());
        long cpu = live.apps().get(0).app().spec().cpuMillis();
        assertThat(r.clusters())
                .allSatisfy(
                        l -> {
                            int n = web.shares().get(l.cluster());
                            assertThat(l.requestedAtPeak().cpuMillis())
                                    .isEqualTo(l.requestedNow().cpuMillis() + n * cpu);
                            assertThat(l.requestedAtPeak().pods())
                                    .isEqualTo(l.requestedNow().pods() + n);
                            assertThat(l.cloud()).isEqualTo(l.cluster().startsWith("cloud"));
                        });
    }

    @Test
    @DisplayName("the cost budget stops the cloud share at the last replica it pays for")
    void costBudget() {
        BurstPlanner.Live live = fleet(aTenant("shop").build(), anApp("shop", "web", 4).build());
        // 0.125/h: cloud-b's 4 cost 0.1, one replica on cloud-a costs 0.05 > the 0.025 left.
        BurstPlanner.Result r =
                planner.compute(
                        live,
                        List.of(at(live, 0, 28)),
                        new BurstPlan.Budget(null, 0.125),
                        AWS,
                        false,
                        1);
        assertThat(r.cloudReplicas()).isEqualTo(4);
        assertThat(r.apps().get(0).shares())
                .containsEntry("cloud-b", 4)
                .doesNotContainKey("cloud-a");
        assertThat(r.unschedulable()).isEqualTo(4);
        assertThat(r.notes()).containsExactly("max_cloud_cost_per_hour 0.125 reached");
    }

    @Test
    @DisplayName(
            "targets are placed in name order, each seeing what the earlier took; quota hits are reported")
    void severalTargetsAndQuota() {
        Tenant shop = aTenant("shop").withQuota(null, null, 14L).build();
        BurstPlanner.Live live =
                fleet(shop, anApp("shop", "web", 8).build(), anApp("shop", "api", 4).build());
        BurstPlanner.Result r =
                planner.compute(
                        live,
                        List.of(at(live, 0, 20), at(live, 1, 8)),
                        new BurstPlan.Budget(6, null),
                        AWS,
                        true,
                        1);
        assertThat(r.apps()).extracting(BurstPlanner.AppResult::app).containsExactly("api", "web");
        assertThat(r.apps().get(0).idcReplicas()).isEqualTo(8);
        assertThat(r.apps().get(1).idcReplicas()).isEqualTo(12);
        assertThat(r.apps().get(1).cloudReplicas()).isEqualTo(6);
        assertThat(r.quotaHits())
                .containsExactly(new BurstPlanner.QuotaHit("shop", "replicas", 14, 28, true));
        assertThat(r.raisedQuotas().get("shop").replicas()).isEqualTo(28L);
    }

    @Test
    @DisplayName(
            "without raised quotas the tenant quota bounds the peak: the rest is unschedulable")
    void quotaNotRaised() {
        Tenant shop = aTenant("shop").withQuota(null, null, 14L).build();
        BurstPlanner.Live live = fleet(shop, anApp("shop", "web", 8).build());
        BurstPlanner.Result r =
                planner.compute(
                        live, List.of(at(live, 0, 20)), BurstPlan.Budget.NONE, AWS, false, 1);
        assertThat(r.quotaHits())
                .containsExactly(new BurstPlanner.QuotaHit("shop", "replicas", 14, 20, false));
        assertThat(r.apps().get(0).unschedulable()).isEqualTo(6);
        assertThat(r.raisedQuotas()).isEmpty();
    }
}
