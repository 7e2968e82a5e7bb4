package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aSpec;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.BurstPolicy;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.ListAppsRequest;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.UpdateClusterRequest;
import dev.fedplane.proto.v1.WhatIfAppOutcome;
import dev.fedplane.proto.v1.WhatIfAppsRequest;
import dev.fedplane.proto.v1.WhatIfClusterLossRequest;
import dev.fedplane.proto.v1.WhatIfResponse;
import dev.fedplane.proto.v1.WhatIfScale;
import dev.fedplane.proto.v1.WhatIfShare;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What-if against a real control plane (H2) with simulated agents: the answer is the placement the
 * reconciler then makes when the change is really made (scale, create, a cluster lost), and asking
 * changes nothing.
 *
 * <p>The fleet: IDC bj (idc-bj-1, idc-bj-2) and IDC sh (idc-sh-1), 4 CPUs each, and two cloud
 * clusters (cloud-a at 0.05 per CPU-hour, cloud-b at 0.03), 4 CPUs each; replicas of 500m, so 8 fit
 * in a cluster. Tenant shop runs web (6, DIVIDED, bursts into cloud), api (4, DIVIDED, IDC only)
 * and batch (3, AGGREGATED, IDC only).
 */
class WhatIfIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private ControlPlaneHarness cp;
    private Stubs admin;
    private final List<ProtocolAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.health.lost-after", "4s",
                                "fedplane.health.check-interval", "200ms",
                                "fedplane.reconciler.resync-interval", "2s"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        agents.forEach(ProtocolAgent::close);
        cp.close();
    }

    private void fleet() {
        String token =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(5)
                                        .setTtlSeconds(3600)
                                        .build())
                        .getSecret();
        agent(token, "idc-bj-1", "bj", "idc", 0);
        agent(token, "idc-bj-2", "bj", "idc", 0);
        agent(token, "idc-sh-1", "sh", "idc", 0);
        agent(token, "cloud-a", "cloud-a", "cloud", 0.05);
        agent(token, "cloud-b", "cloud-b", "cloud", 0.03);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        PlacementPolicy idcOnly =
                PlacementPolicy.newBuilder()
                        .setClusterAffinity(
                                dev.fedplane.proto.v1.ClusterSelector.newBuilder()
                                        .putMatchLabels("tier", "idc"))
                        .setReplicaScheduling(
                                ReplicaScheduling.newBuilder()
                                        .setType(ReplicaScheduling.Type.DIVIDED)
                                        .setDivision(ReplicaScheduling.Division.STATIC_WEIGHTS))
                        .build();
        create(
                anApp("shop", "web", 6)
                        .setSpec(
                                aSpec(6).setPlacement(
                                                aSpec(6).getPlacement().toBuilder()
                                                        .setBurst(
                                                                BurstPolicy.newBuilder()
                                                                        .setAllowCloud(true)))));
        create(anApp("shop", "api", 4).setSpec(aSpec(4).setPlacement(idcOnly)));
        create(
                anApp("shop", "batch", 3)
                        .setSpec(
                                aSpec(3).setPlacement(
                                                idcOnly.toBuilder()
                                                        .setReplicaScheduling(
                                                                ReplicaScheduling.newBuilder()
                                                                        .setType(
                                                                                ReplicaScheduling
                                                                                        .Type
                                                                                        .AGGREGATED)))));
        awaitSettled();
    }

    private void agent(String token, String name, String idc, String tier, double cost) {
        ProtocolAgent a = new ProtocolAgent(cp.channel(), name);
        agents.add(a);
        a.register(
                token,
                Map.of("region", "north", "idc", idc, "tier", tier, "zone", idc + "-z1"),
                ProtocolAgent.capacity(4000, 16384, 110));
        a.capacity = ProtocolAgent.capacity(4000, 16384, 110);
        a.connect();
        await().atMost(WAIT).until(() -> cluster(name).getState() == ClusterState.READY);
        if (cost > 0) {
            Cluster c = cluster(name);
            admin.clusters()
                    .updateCluster(
                            UpdateClusterRequest.newBuilder()
                                    .setCluster(c.toBuilder().setCostPerCpuHour(cost))
                                    .build());
        }
    }

    private ProtocolAgent agentOf(String name) {
        return agents.stream().filter(a -> a.cluster.equals(name)).findFirst().orElseThrow();
    }

    private void create(App.Builder a) {
        admin.apps().createApp(CreateAppRequest.newBuilder().setApp(a).build());
    }

    private Cluster cluster(String name) {
        return admin.clusters().getCluster(GetClusterRequest.newBuilder().setName(name).build());
    }

    private App app(String name) {
        return admin.apps()
                .getApp(GetAppRequest.newBuilder().setTenant("shop").setName(name).build());
    }

    private List<App> apps() {
        return admin.apps()
                .listApps(ListAppsRequest.newBuilder().setTenant("shop").build())
                .getAppsList();
    }

    /** Every app placed for its current generation. */
    private void awaitSettled() {
        await().atMost(WAIT)
                .until(
                        () ->
                                apps().stream()
                                        .allMatch(
                                                a ->
                                                        a.getStatus().getObservedGeneration()
                                                                        == a.getGeneration()
                                                                && desiredTotal(a)
                                                                                + a.getStatus()
                                                                                        .getUnschedulable()
                                                                        >= a.getSpec()
                                                                                .getReplicas()));
    }

    private static int desiredTotal(App a) {
        return a.getStatus().getClustersList().stream().mapToInt(ClusterReplicas::getDesired).sum();
    }

    private static Map<String, Integer> desired(App a) {
        Map<String, Integer> m = new TreeMap<>();
        for (ClusterReplicas r : a.getStatus().getClustersList()) {
            if (r.getDesired() > 0) {
                m.put(r.getCluster(), r.getDesired());
            }
        }
        return m;
    }

    private static Map<String, Integer> after(WhatIfAppOutcome o) {
        Map<String, Integer> m = new TreeMap<>();
        for (WhatIfShare s : o.getSharesList()) {
            if (s.getAfter() > 0) {
                m.put(s.getCluster(), s.getAfter());
            }
        }
        return m;
    }

    private static Map<String, Integer> before(WhatIfAppOutcome o) {
        Map<String, Integer> m = new TreeMap<>();
        for (WhatIfShare s : o.getSharesList()) {
            if (s.getBefore() > 0) {
                m.put(s.getCluster(), s.getBefore());
            }
        }
        return m;
    }

    private static WhatIfAppOutcome outcome(WhatIfResponse r, String name) {
        return r.getAppsList().stream()
                .filter(o -> o.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no outcome for " + name + " in " + r));
    }

    private static WhatIfScale scale(String name, int replicas) {
        return WhatIfScale.newBuilder()
                .setTenant("shop")
                .setName(name)
                .setReplicas(replicas)
                .build();
    }

    @Test
    @DisplayName(
            "scaling two apps: the what-if answer, IDC first then cloud with its cost, is the placement the reconciler makes when the apps are really scaled")
    void scaleWhatIfEqualsReality() {
        fleet();
        Map<String, Map<String, Integer>> beforeAll = new TreeMap<>();
        apps().forEach(a -> beforeAll.put(a.getName(), desired(a)));
        long webVersion = app("web").getResourceVersion();

        WhatIfResponse r =
                admin.capacity()
                        .whatIfApps(
                                WhatIfAppsRequest.newBuilder()
                                        .addScales(scale("api", 6))
                                        .addScales(scale("web", 24))
                                        .build());

        // Nothing changed.
        assertThat(app("web").getResourceVersion()).isEqualTo(webVersion);
        apps().forEach(a -> assertThat(desired(a)).isEqualTo(beforeAll.get(a.getName())));

        WhatIfAppOutcome web = outcome(r, "web");
        assertThat(web.getReplicasBefore()).isEqualTo(6);
        assertThat(web.getReplicas()).isEqualTo(24);
        assertThat(before(web)).isEqualTo(beforeAll.get("web"));
        // IDC holds 3 x 8 = 24 replicas, of which api (6, placed first) and batch (3) take 9: 15
        // for web in IDC, the other 9 in cloud.
        assertThat(web.getIdcReplicas()).isEqualTo(15);
        assertThat(web.getCloudReplicas()).isEqualTo(9);
        assertThat(web.getFits()).isTrue();
        double cost = 0;
        for (WhatIfShare s : web.getSharesList()) {
            if (s.getCluster().equals("cloud-a")) {
                cost += s.getAfter() * 0.5 * 0.05;
                assertThat(s.getTier()).isEqualTo("cloud");
            } else if (s.getCluster().equals("cloud-b")) {
                cost += s.getAfter() * 0.5 * 0.03;
            } else {
                assertThat(s.getTier()).isEqualTo("idc");
            }
        }
        assertThat(web.getCloudCostPerHour())
                .isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.getSummary().getCloudReplicas()).isEqualTo(9);
        assertThat(r.getSummary().getApps()).isEqualTo(2);

        // Now for real, in the same order.
        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("api")
                                .setReplicas(6)
                                .build());
        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .setReplicas(24)
                                .build());
        awaitSettled();
        for (String name : List.of("web", "api")) {
            WhatIfAppOutcome o = outcome(r, name);
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                App real = app(name);
                                assertThat(desired(real)).as(name).isEqualTo(after(o));
                                assertThat(real.getStatus().getUnschedulable())
                                        .isEqualTo(o.getUnschedulable());
                            });
        }
        assertThat(desired(app("batch"))).isEqualTo(beforeAll.get("batch"));
    }

    @Test
    @DisplayName(
            "losing an IDC: the what-if answer is the placement the reconciler makes when its cluster's agent really goes silent")
    void clusterLossWhatIfEqualsReality() {
        fleet();
        Map<String, Map<String, Integer>> beforeAll = new TreeMap<>();
        apps().forEach(a -> beforeAll.put(a.getName(), desired(a)));

        WhatIfResponse bj =
                admin.capacity()
                        .whatIfClusterLoss(
                                WhatIfClusterLossRequest.newBuilder().setIdc("bj").build());
        assertThat(bj.getLostClustersList()).containsExactly("idc-bj-1", "idc-bj-2");
        int onBj =
                beforeAll.values().stream()
                        .mapToInt(
                                m -> m.getOrDefault("idc-bj-1", 0) + m.getOrDefault("idc-bj-2", 0))
                        .sum();
        assertThat(bj.getSummary().getLostReplicas()).isEqualTo(onBj);

        WhatIfResponse sh =
                admin.capacity()
                        .whatIfClusterLoss(
                                WhatIfClusterLossRequest.newBuilder().setIdc("sh").build());
        assertThat(sh.getLostClustersList()).containsExactly("idc-sh-1");
        int onSh = beforeAll.values().stream().mapToInt(m -> m.getOrDefault("idc-sh-1", 0)).sum();
        assertThat(onSh).as("the fleet puts something on idc-sh-1").isPositive();
        assertThat(sh.getSummary().getLostReplicas()).isEqualTo(onSh);
        for (WhatIfAppOutcome o : sh.getAppsList()) {
            assertThat(before(o)).isEqualTo(beforeAll.get(o.getName()));
            assertThat(after(o)).doesNotContainKey("idc-sh-1");
        }
        // Asking changed nothing.
        apps().forEach(a -> assertThat(desired(a)).isEqualTo(beforeAll.get(a.getName())));

        agentOf("idc-sh-1").disconnect();
        await().atMost(WAIT).until(() -> cluster("idc-sh-1").getState() == ClusterState.LOST);
        for (App a : apps()) {
            Map<String, Integer> expected =
                    sh.getAppsList().stream()
                            .filter(o -> o.getName().equals(a.getName()))
                            .findFirst()
                            .map(WhatIfIT::after)
                            .orElse(beforeAll.get(a.getName()));
            int unschedulable =
                    sh.getAppsList().stream()
                            .filter(o -> o.getName().equals(a.getName()))
                            .findFirst()
                            .map(WhatIfAppOutcome::getUnschedulable)
                            .orElse(a.getStatus().getUnschedulable());
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                App real = app(a.getName());
                                assertThat(desired(real)).as(a.getName()).isEqualTo(expected);
                                assertThat(real.getStatus().getUnschedulable())
                                        .isEqualTo(unschedulable);
                            });
        }
    }

    @Test
    @DisplayName(
            "a new app: the what-if answer is where the reconciler puts it when it is really created; over the quota it says so")
    void createWhatIfEqualsReality() {
        fleet();
        App.Builder cache = anApp("shop", "cache", 5);
        WhatIfResponse r =
                admin.capacity()
                        .whatIfApps(WhatIfAppsRequest.newBuilder().addCreates(cache).build());
        WhatIfAppOutcome o = outcome(r, "cache");
        assertThat(o.getNewApp()).isTrue();
        assertThat(o.getReplicasBefore()).isZero();
        assertThat(before(o)).isEmpty();
        assertThat(after(o).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        assertThat(o.getQuotaExceeded()).isEmpty();
        assertThat(apps()).extracting(App::getName).doesNotContain("cache");

        create(cache);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(desired(app("cache"))).isEqualTo(after(o)));
    }

    @Test
    @DisplayName(
            "bad what-ifs are refused naming the field; unknown apps, tenants, clusters and IDCs are NOT_FOUND")
    void validation() {
        fleet();
        assertCode(
                () -> admin.capacity().whatIfApps(WhatIfAppsRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT,
                "scales");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfApps(
                                        WhatIfAppsRequest.newBuilder()
                                                .addScales(scale("web", -1))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "scales[0].replicas");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfApps(
                                        WhatIfAppsRequest.newBuilder()
                                                .addScales(scale("web", 2))
                                                .addScales(scale("web", 3))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "scales[1]");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfApps(
                                        WhatIfAppsRequest.newBuilder()
                                                .addScales(
                                                        scale("web", 2).toBuilder()
                                                                .setTenant("Bad_"))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "scales[0].tenant");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfApps(
                                        WhatIfAppsRequest.newBuilder()
                                                .addCreates(
                                                        anApp("shop", "x", 1)
                                                                .setSpec(aSpec(1).setImage("")))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "creates[0].spec.image");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfApps(
                                        WhatIfAppsRequest.newBuilder()
                                                .addScales(scale("nope", 2))
                                                .build()),
                Status.Code.NOT_FOUND,
                "shop/nope");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfApps(
                                        WhatIfAppsRequest.newBuilder()
                                                .addCreates(anApp("ghost", "x", 1))
                                                .build()),
                Status.Code.NOT_FOUND,
                "ghost");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfApps(
                                        WhatIfAppsRequest.newBuilder()
                                                .addCreates(anApp("shop", "web", 1))
                                                .build()),
                Status.Code.ALREADY_EXISTS,
                "shop/web");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfClusterLoss(WhatIfClusterLossRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT,
                "clusters");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfClusterLoss(
                                        WhatIfClusterLossRequest.newBuilder()
                                                .addClusters("Not A Name")
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "clusters[0]");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfClusterLoss(
                                        WhatIfClusterLossRequest.newBuilder()
                                                .addClusters("idc-xx-9")
                                                .build()),
                Status.Code.NOT_FOUND,
                "idc-xx-9");
        assertCode(
                () ->
                        admin.capacity()
                                .whatIfClusterLoss(
                                        WhatIfClusterLossRequest.newBuilder().setIdc("gz").build()),
                Status.Code.NOT_FOUND,
                "gz");
    }

    private static void assertCode(Runnable call, Status.Code code, String mentions) {
        assertThatThrownBy(call::run)
                .satisfies(
                        e -> {
                            assertThat(Status.fromThrowable(e).getCode()).isEqualTo(code);
                            assertThat(
                                            Status.fromThrowable(e).getDescription()
                                                    + " "
                                                    + io.grpc.protobuf.StatusProto.fromThrowable(e))
                                    .contains(mentions);
                        });
    }
}
