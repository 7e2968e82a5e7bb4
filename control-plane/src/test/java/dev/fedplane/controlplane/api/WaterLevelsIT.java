package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aSpec;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ClusterQuota;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateClusterRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.DeleteClusterRequest;
import dev.fedplane.proto.v1.GetTenantUsageRequest;
import dev.fedplane.proto.v1.GetWaterLevelsRequest;
import dev.fedplane.proto.v1.GetWaterLevelsRequest.GroupBy;
import dev.fedplane.proto.v1.GetWaterLevelsResponse;
import dev.fedplane.proto.v1.ResourceLevel;
import dev.fedplane.proto.v1.ResourceLevel.Level;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantQuota;
import dev.fedplane.proto.v1.TenantUsage;
import dev.fedplane.proto.v1.WaterLevel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Water levels of a fixed fleet equal figures computed by hand, with thresholds set to warn 0.7 and
 * critical 0.9; the same figures are on the Prometheus scrape.
 *
 * <pre>
 * cluster  region idc    zone   provider tier  allocatable cpu/mem/pods  requested cpu/mem/pods
 * a1       north  bj     bj-a   self     idc   10000/20000/100           8500/10000/20
 * a2       north  bj     bj-b   self     idc   10000/20000/100           1000/19000/10
 * b1       east   sh     sh-a   self     idc   20000/40000/200           2000/ 4000/20
 * c1       east   aws-1  use1-a aws      cloud 40000/80000/400              0/    0/ 0
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WaterLevelsIT {
    private ControlPlaneHarness cp;
    private Stubs admin;

    @BeforeAll
    void start() {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.capacity.warn-ratio", "0.7",
                                "fedplane.capacity.critical-ratio", "0.9",
                                // every scrape reads the store (the default keeps figures 5 s)
                                "fedplane.metrics.water-level-max-age", "0s"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        cluster(
                admin, "a1", "north", "bj", "bj-a", "self", "idc", 10000, 20000, 100, 8500, 10000,
                20);
        cluster(
                admin, "a2", "north", "bj", "bj-b", "self", "idc", 10000, 20000, 100, 1000, 19000,
                10);
        cluster(
                admin, "b1", "east", "sh", "sh-a", "self", "idc", 20000, 40000, 200, 2000, 4000,
                20);
        cluster(admin, "c1", "east", "aws-1", "use1-a", "aws", "cloud", 40000, 80000, 400, 0, 0, 0);
        // Tenant shop: quota 4 CPUs, 100000 MiB, 10 replicas; on b1 at most 8 replicas. Its app
        // web runs 7 replicas of 500m / 512 MiB, all on b1.
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(
                                        Tenant.newBuilder()
                                                .setName("shop")
                                                .setQuota(
                                                        TenantQuota.newBuilder()
                                                                .setCpuMillis(4000)
                                                                .setMemoryMib(100000)
                                                                .setReplicas(10)
                                                                .addPerCluster(
                                                                        ClusterQuota.newBuilder()
                                                                                .setCluster("b1")
                                                                                .setReplicas(8))))
                                .build());
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        anApp("shop", "web", 7)
                                                .setSpec(
                                                        aSpec(7).setPlacement(
                                                                        aSpec(7)
                                                                                .getPlacement()
                                                                                .toBuilder()
                                                                                .setClusterAffinity(
                                                                                        ClusterSelector
                                                                                                .newBuilder()
                                                                                                .addNames(
                                                                                                        "b1")))))
                                .build());
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                usage().getClustersList().stream()
                                                .mapToLong(c -> c.getReplicas())
                                                .sum()
                                        == 7);
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    private static void cluster(
            Stubs admin,
            String name,
            String region,
            String idc,
            String zone,
            String provider,
            String tier,
            long cpu,
            long mem,
            long pods,
            long reqCpu,
            long reqMem,
            long reqPods) {
        admin.clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder()
                                .setCluster(
                                        Cluster.newBuilder()
                                                .setName(name)
                                                .setState(ClusterState.READY)
                                                .putLabels("region", region)
                                                .putLabels("idc", idc)
                                                .putLabels("zone", zone)
                                                .putLabels("provider", provider)
                                                .putLabels("tier", tier)
                                                .setCapacity(
                                                        ClusterCapacity.newBuilder()
                                                                .setAllocatable(res(cpu, mem, pods))
                                                                .setRequested(
                                                                        res(
                                                                                reqCpu, reqMem,
                                                                                reqPods))))
                                .build());
    }

    private static Resources res(long cpu, long mem, long pods) {
        return Resources.newBuilder().setCpuMillis(cpu).setMemoryMib(mem).setPods(pods).build();
    }

    private TenantUsage usage() {
        return admin.capacity()
                .getTenantUsage(GetTenantUsageRequest.newBuilder().setTenant("shop").build());
    }

    private GetWaterLevelsResponse levels(GroupBy by) {
        return admin.capacity()
                .getWaterLevels(GetWaterLevelsRequest.newBuilder().setGroupBy(by).build());
    }

    private static Map<String, WaterLevel> byKey(GetWaterLevelsResponse r) {
        return r.getLevelsList().stream()
                .collect(Collectors.toMap(WaterLevel::getKey, Function.identity()));
    }

    /** Asserts the level's sums, its three ratios and their levels, and its overall level. */
    private static void assertLevel(
            WaterLevel l,
            int clusters,
            Resources alloc,
            Resources req,
            double cpu,
            Level cpuLevel,
            double mem,
            Level memLevel,
            double pods,
            Level podsLevel,
            Level overall) {
        assertThat(l.getClusterCount()).as(l.getKey() + " clusters").isEqualTo(clusters);
        assertThat(l.getAllocatable()).as(l.getKey() + " allocatable").isEqualTo(alloc);
        assertThat(l.getRequested()).as(l.getKey() + " requested").isEqualTo(req);
        assertThat(l.getFree())
                .as(l.getKey() + " free")
                .isEqualTo(
                        res(
                                alloc.getCpuMillis() - req.getCpuMillis(),
                                alloc.getMemoryMib() - req.getMemoryMib(),
                                alloc.getPods() - req.getPods()));
        List<ResourceLevel> r = l.getResourcesList();
        assertThat(r)
                .extracting(ResourceLevel::getResource)
                .containsExactly("cpu", "memory", "pods");
        assertThat(r.get(0).getUsedRatio()).as(l.getKey() + " cpu").isCloseTo(cpu, within(1e-9));
        assertThat(r.get(1).getUsedRatio()).as(l.getKey() + " memory").isCloseTo(mem, within(1e-9));
        assertThat(r.get(2).getUsedRatio()).as(l.getKey() + " pods").isCloseTo(pods, within(1e-9));
        assertThat(r)
                .extracting(ResourceLevel::getLevel)
                .containsExactly(cpuLevel, memLevel, podsLevel);
        assertThat(l.getLevel()).as(l.getKey() + " level").isEqualTo(overall);
    }

    @Test
    @DisplayName("per cluster: each cluster's figures, ratios and levels")
    void perCluster() {
        GetWaterLevelsResponse r = levels(GroupBy.CLUSTER);
        assertThat(r.getThresholds().getWarnRatio()).isEqualTo(0.7);
        assertThat(r.getThresholds().getCriticalRatio()).isEqualTo(0.9);
        Map<String, WaterLevel> m = byKey(r);
        assertThat(m).containsOnlyKeys("a1", "a2", "b1", "c1");
        // a1: 8500/10000 = 0.85 (WARN), 10000/20000 = 0.5, 20/100 = 0.2.
        assertLevel(
                m.get("a1"),
                1,
                res(10000, 20000, 100),
                res(8500, 10000, 20),
                0.85,
                Level.WARN,
                0.5,
                Level.OK,
                0.2,
                Level.OK,
                Level.WARN);
        // a2: 0.1, 19000/20000 = 0.95 (CRITICAL), 0.1.
        assertLevel(
                m.get("a2"),
                1,
                res(10000, 20000, 100),
                res(1000, 19000, 10),
                0.1,
                Level.OK,
                0.95,
                Level.CRITICAL,
                0.1,
                Level.OK,
                Level.CRITICAL);
        assertLevel(
                m.get("c1"),
                1,
                res(40000, 80000, 400),
                res(0, 0, 0),
                0,
                Level.OK,
                0,
                Level.OK,
                0,
                Level.OK,
                Level.OK);
        // total: 80000/160000/800 allocatable, 11500/33000/50 requested.
        assertLevel(
                r.getTotal(),
                4,
                res(80000, 160000, 800),
                res(11500, 33000, 50),
                11500 / 80000.0,
                Level.OK,
                33000 / 160000.0,
                Level.OK,
                50 / 800.0,
                Level.OK,
                Level.OK);
    }

    @Test
    @DisplayName("rolled up per idc, region, tier, provider and zone: the sums of their clusters")
    void rollUps() {
        Map<String, WaterLevel> idc = byKey(levels(GroupBy.IDC));
        assertThat(idc).containsOnlyKeys("bj", "sh", "aws-1");
        // bj = a1 + a2: 9500/20000 = 0.475, 29000/40000 = 0.725 (WARN), 30/200 = 0.15.
        assertLevel(
                idc.get("bj"),
                2,
                res(20000, 40000, 200),
                res(9500, 29000, 30),
                0.475,
                Level.OK,
                0.725,
                Level.WARN,
                0.15,
                Level.OK,
                Level.WARN);
        assertLevel(
                idc.get("sh"),
                1,
                res(20000, 40000, 200),
                res(2000, 4000, 20),
                0.1,
                Level.OK,
                0.1,
                Level.OK,
                0.1,
                Level.OK,
                Level.OK);

        Map<String, WaterLevel> region = byKey(levels(GroupBy.REGION));
        assertThat(region).containsOnlyKeys("north", "east");
        assertLevel(
                region.get("north"),
                2,
                res(20000, 40000, 200),
                res(9500, 29000, 30),
                0.475,
                Level.OK,
                0.725,
                Level.WARN,
                0.15,
                Level.OK,
                Level.WARN);
        // east = b1 + c1: 2000/60000, 4000/120000, 20/600.
        assertLevel(
                region.get("east"),
                2,
                res(60000, 120000, 600),
                res(2000, 4000, 20),
                2000 / 60000.0,
                Level.OK,
                4000 / 120000.0,
                Level.OK,
                20 / 600.0,
                Level.OK,
                Level.OK);

        Map<String, WaterLevel> tier = byKey(levels(GroupBy.TIER));
        assertThat(tier).containsOnlyKeys("idc", "cloud");
        // idc = a1 + a2 + b1: 11500/40000, 33000/80000, 50/400.
        assertLevel(
                tier.get("idc"),
                3,
                res(40000, 80000, 400),
                res(11500, 33000, 50),
                11500 / 40000.0,
                Level.OK,
                33000 / 80000.0,
                Level.OK,
                50 / 400.0,
                Level.OK,
                Level.OK);
        assertLevel(
                tier.get("cloud"),
                1,
                res(40000, 80000, 400),
                res(0, 0, 0),
                0,
                Level.OK,
                0,
                Level.OK,
                0,
                Level.OK,
                Level.OK);

        Map<String, WaterLevel> provider = byKey(levels(GroupBy.PROVIDER));
        assertThat(provider).containsOnlyKeys("self", "aws");
        assertThat(provider.get("self").getRequested()).isEqualTo(res(11500, 33000, 50));

        Map<String, WaterLevel> zone = byKey(levels(GroupBy.ZONE));
        assertThat(zone).containsOnlyKeys("bj-a", "bj-b", "sh-a", "use1-a");
        assertThat(zone.get("bj-b").getLevel()).isEqualTo(Level.CRITICAL);
    }

    @Test
    @DisplayName("each tenant's use against its quota and its per-cluster cap, with levels")
    void tenantsAgainstQuota() {
        GetWaterLevelsResponse r =
                admin.capacity()
                        .getWaterLevels(
                                GetWaterLevelsRequest.newBuilder()
                                        .setGroupBy(GroupBy.IDC)
                                        .setIncludeTenants(true)
                                        .build());
        assertThat(r.getTenantsList()).extracting(TenantUsage::getTenant).containsExactly("shop");
        TenantUsage u = r.getTenants(0);
        assertThat(u).isEqualTo(usage());
        // 7 x 500m = 3500 of 4000 (0.875, WARN); 7 x 512 = 3584 of 100000; 7 of 10 (0.7, WARN).
        assertThat(u.getLevelsList())
                .extracting(ResourceLevel::getResource, ResourceLevel::getLevel)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cpu", Level.WARN),
                        org.assertj.core.groups.Tuple.tuple("memory", Level.OK),
                        org.assertj.core.groups.Tuple.tuple("replicas", Level.WARN));
        assertThat(u.getLevels(0).getUsedRatio()).isCloseTo(0.875, within(1e-9));
        assertThat(u.getLevels(1).getUsedRatio()).isCloseTo(3584 / 100000.0, within(1e-9));
        assertThat(u.getClustersList()).hasSize(1);
        var b1 = u.getClusters(0);
        assertThat(b1.getCluster()).isEqualTo("b1");
        assertThat(b1.getReplicas()).isEqualTo(7);
        assertThat(b1.getQuotaReplicas()).isEqualTo(8);
        assertThat(b1.hasQuotaCpuMillis()).isFalse();
        // 7 of 8 = 0.875: WARN.
        assertThat(b1.getLevelsList())
                .extracting(ResourceLevel::getResource, ResourceLevel::getLevel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("replicas", Level.WARN));

        // Clusters outside the selector are left out of the tenants' per-cluster figures.
        GetWaterLevelsResponse cloudOnly =
                admin.capacity()
                        .getWaterLevels(
                                GetWaterLevelsRequest.newBuilder()
                                        .setSelector(
                                                ClusterSelector.newBuilder()
                                                        .putMatchLabels("tier", "cloud"))
                                        .setIncludeTenants(true)
                                        .build());
        assertThat(cloudOnly.getTenants(0).getClustersList()).isEmpty();
        assertThat(levels(GroupBy.IDC).getTenantsList()).isEmpty();
    }

    @Test
    @DisplayName(
            "the Prometheus scrape shows fedplane_water_level_ratio per group, key and resource, the state and the thresholds; a deleted cluster leaves it and its groups' values change")
    void prometheusGauges() throws Exception {
        String scrape = scrape();
        assertThat(scrape)
                .contains(
                        "fedplane_water_level_ratio{group_by=\"cluster\",key=\"a1\",resource=\"cpu\"} 0.85")
                .contains(
                        "fedplane_water_level_ratio{group_by=\"idc\",key=\"bj\",resource=\"memory\"} 0.725")
                .contains(
                        "fedplane_water_level_ratio{group_by=\"tier\",key=\"cloud\",resource=\"pods\"} 0.0")
                .contains(
                        "fedplane_water_level_ratio{group_by=\"zone\",key=\"bj-b\",resource=\"memory\"} 0.95")
                .contains(
                        "fedplane_water_level_ratio{group_by=\"provider\",key=\"self\",resource=\"pods\"} 0.125")
                .contains(
                        "fedplane_water_level_ratio{group_by=\"region\",key=\"north\",resource=\"cpu\"} 0.475")
                .contains(
                        "fedplane_water_level_state{group_by=\"cluster\",key=\"a2\",resource=\"memory\"} 2.0")
                .contains(
                        "fedplane_water_level_state{group_by=\"cluster\",key=\"a1\",resource=\"cpu\"} 1.0")
                .contains("fedplane_water_level_threshold{level=\"warn\"} 0.7")
                .contains("fedplane_water_level_threshold{level=\"critical\"} 0.9");

        admin.clusters().deleteCluster(DeleteClusterRequest.newBuilder().setName("c1").build());
        try {
            // A group that stays shows its new value: region east is b1 alone now (2 of 20 CPUs
            // requested; with c1 it was 2 of 60).
            assertThat(scrape())
                    .doesNotContain("key=\"c1\"")
                    .contains(
                            "fedplane_water_level_ratio{group_by=\"cluster\",key=\"a1\",resource=\"cpu\"} 0.85")
                    .contains(
                            "fedplane_water_level_ratio{group_by=\"region\",key=\"east\",resource=\"cpu\"} 0.1");
        } finally {
            cluster(
                    admin, "c1", "east", "aws-1", "use1-a", "aws", "cloud", 40000, 80000, 400, 0, 0,
                    0);
        }
    }

    @Test
    @DisplayName(
            "a scrape within the water levels' max age after a refresh shows that refresh's figures, not the store's newer ones")
    void scrapesWithinTheMaxAgeKeepTheFigures() throws Exception {
        try (ControlPlaneHarness other =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of("fedplane.metrics.water-level-max-age", "1h"))) {
            Stubs stubs = Stubs.of(other.channel(), ControlPlaneHarness.ADMIN_TOKEN);
            cluster(
                    stubs, "x1", "north", "bj", "bj-a", "self", "idc", 10000, 20000, 100, 8500, 0,
                    0);
            assertThat(scrape(other))
                    .contains(
                            "fedplane_water_level_ratio{group_by=\"cluster\",key=\"x1\",resource=\"cpu\"} 0.85");
            cluster(
                    stubs, "x2", "north", "bj", "bj-b", "self", "idc", 10000, 20000, 100, 1000, 0,
                    0);
            // Within the hour: the first refresh's figures (no x2, bj still x1's alone).
            assertThat(scrape(other))
                    .doesNotContain("key=\"x2\"")
                    .contains(
                            "fedplane_water_level_ratio{group_by=\"idc\",key=\"bj\",resource=\"cpu\"} 0.85");
        }
        // This class's control plane (max age 0) reads the store on every scrape: see
        // prometheusGauges.
    }

    private String scrape() throws Exception {
        return scrape(cp);
    }

    private static String scrape(ControlPlaneHarness cp) throws Exception {
        HttpResponse<String> resp =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + cp.httpPort()
                                                                + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        return resp.body();
    }
}
