package dev.fedplane.controlplane.burst;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.Fixtures;
import dev.fedplane.controlplane.testing.TestClock;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.BurstBudget;
import dev.fedplane.proto.v1.BurstDryRun;
import dev.fedplane.proto.v1.BurstDryRunApp;
import dev.fedplane.proto.v1.BurstEvent;
import dev.fedplane.proto.v1.BurstPlan;
import dev.fedplane.proto.v1.BurstPlanServiceGrpc;
import dev.fedplane.proto.v1.BurstPlanSpec;
import dev.fedplane.proto.v1.BurstPolicy;
import dev.fedplane.proto.v1.BurstState;
import dev.fedplane.proto.v1.BurstTarget;
import dev.fedplane.proto.v1.BurstWindow;
import dev.fedplane.proto.v1.CancelBurstPlanRequest;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateBurstPlanRequest;
import dev.fedplane.proto.v1.CreateClusterRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.DryRunBurstPlanRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetBurstPlanRequest;
import dev.fedplane.proto.v1.GetTenantRequest;
import dev.fedplane.proto.v1.ListBurstEventsRequest;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A peak event end to end, on a real control plane over simulated clusters (created through the API
 * with their capacity) and a test clock. The fleet: two IDC clusters that hold 10 one-CPU replicas
 * each, and three cloud clusters: cloud-b (aws, 0.05/CPU-hour, room for 4), cloud-a (aws, 0.10,
 * room for 10) and cloud-x (gcp, 0.01, the cheapest, but the plan allows only aws). Tenant shop
 * runs web (8) and api (4) under a replica quota of 14. The plan: web to 20, api x2 (8), in two
 * ramp steps, at most 6 cloud replicas, quotas raised for the window. Expected at the peak, with
 * the arithmetic: api (placed first, by name) 8 in IDC; web 20 - (20 - 8) = 8 overflow; cloud-b
 * takes 4 (cheapest allowed), cloud-a 2 (the budget's 6), 2 unschedulable; cost 4 x 1 x 0.05 + 2 x
 * 1 x 0.10 = 0.40/h.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BurstIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String clockName = "burst-it-" + System.nanoTime();
    private TestClock clock;
    private ControlPlaneHarness cp;
    private long t0;

    @BeforeAll
    void start() {
        clock = TestClock.named(clockName);
        t0 = clock.millis();
        cp =
                ControlPlaneHarness.start(
                        store(),
                        Map.of(
                                "fedplane.test.clock", clockName,
                                "fedplane.burst.tick-interval", "50ms",
                                "fedplane.reconciler.resync-interval", "1s"));
        cluster("idc-1", "idc", "onprem", 0);
        cluster("idc-2", "idc", "onprem", 0);
        cluster("cloud-a", "cloud", "aws", 0.10);
        cluster("cloud-b", "cloud", "aws", 0.05, 4000);
        cluster("cloud-x", "cloud", "gcp", 0.01);
        tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(Fixtures.aTenant("shop", 1_000_000, 10_000_000, 14))
                                .build());
        app("web", 8);
        app("api", 4);
        awaitPlaced("web", 8);
        awaitPlaced("api", 4);
    }

    /** The store under test; {@link BurstPostgresIT} runs the same on PostgreSQL. */
    ControlPlaneHarness.Store store() {
        return ControlPlaneHarness.Store.H2;
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    @Test
    @Order(1)
    @DisplayName(
            "a dry run before the event: IDC full first, the overflow in the cheapest allowed cloud within the budget, the quota it hits")
    void dryRunBeforeTheEvent() {
        BurstDryRun d =
                burst().dryRunBurstPlan(
                                DryRunBurstPlanRequest.newBuilder().setSpec(spec(60, 180)).build());
        assertThat(d.getIdcReplicas()).isEqualTo(20);
        assertThat(d.getCloudReplicas()).isEqualTo(6);
        assertThat(d.getUnschedulable()).isEqualTo(2);
        assertThat(d.getCloudCostPerHour())
                .isCloseTo(0.40, org.assertj.core.data.Offset.offset(1e-9));
        BurstDryRunApp web = appOf(d, "web");
        assertThat(web.getPlacementMap())
                .containsEntry("cloud-b", 4)
                .containsEntry("cloud-a", 2)
                .doesNotContainKey("cloud-x");
        assertThat(appOf(d, "api").getPeakReplicas()).isEqualTo(8);
        assertThat(appOf(d, "api").getCloudReplicas()).isZero();
        assertThat(d.getQuotaHitsList())
                .anySatisfy(
                        h -> {
                            assertThat(h.getResource()).isEqualTo("replicas");
                            assertThat(h.getQuota()).isEqualTo(14);
                            assertThat(h.getNeeded()).isEqualTo(28);
                            assertThat(h.getRaised()).isTrue();
                        });
        assertThat(d.getNotesList()).anyMatch(n -> n.contains("max_cloud_replicas 6"));
        // Nothing changed, nothing in cloud.
        assertThat(replicas("web")).isEqualTo(8);
        assertThat(cloudReplicas("web") + cloudReplicas("api"))
                .as("web %s, api %s", getApp("web"), getApp("api"))
                .isZero();
    }

    @Test
    @Order(2)
    @DisplayName(
            "bad plans are refused naming the field; unknown targets are NOT_FOUND; a viewer may not create")
    void validation() {
        assertStatus(
                () -> create("bad", spec(60, 30)),
                Status.Code.INVALID_ARGUMENT,
                "spec.window.end_unix_millis");
        assertStatus(
                () ->
                        create(
                                "bad",
                                spec(60, 180).toBuilder()
                                        .setWindow(
                                                BurstWindow.newBuilder()
                                                        .setStartUnixMillis(t0 - 7_200_000)
                                                        .setEndUnixMillis(t0 - 3_600_000))
                                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "is in the past");
        assertStatus(
                () ->
                        create(
                                "bad",
                                spec(60, 180).toBuilder()
                                        .setTargets(
                                                0,
                                                BurstTarget.newBuilder()
                                                        .setTenant("shop")
                                                        .setApp("web"))
                                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "spec.targets[0].peak_replicas");
        assertStatus(
                () ->
                        create(
                                "bad",
                                spec(60, 180).toBuilder()
                                        .setTargets(
                                                0,
                                                BurstTarget.newBuilder()
                                                        .setTenant("shop")
                                                        .setApp("nope")
                                                        .setPeakReplicas(3))
                                        .build()),
                Status.Code.NOT_FOUND,
                "shop/nope");
        assertStatus(() -> create("Bad_Name", spec(60, 180)), Status.Code.INVALID_ARGUMENT, "name");
        String viewer =
                withToken(TokenServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(Role.TENANT_ADMIN)
                                        .setTenant("shop")
                                        .build())
                        .getSecret();
        assertStatus(
                () ->
                        withToken(BurstPlanServiceGrpc.newBlockingStub(cp.channel()), viewer)
                                .createBurstPlan(
                                        CreateBurstPlanRequest.newBuilder()
                                                .setName("mine")
                                                .setSpec(spec(60, 180))
                                                .build()),
                Status.Code.PERMISSION_DENIED,
                "platform-admin");
        assertStatus(
                () -> burst().getBurstPlan(GetBurstPlanRequest.newBuilder().setName("bad").build()),
                Status.Code.NOT_FOUND,
                "bad");
    }

    @Test
    @Order(3)
    @DisplayName(
            "a peak event: ramp, restart in the middle without a double scale-up, the peak IDC first and cloud within budget, then back to the pre-event counts and quota")
    void peakEvent() {
        BurstPlan created = create("double-11", spec(60, 180));
        assertThat(created.getState()).isEqualTo(BurstState.PLANNED);
        clock.set(t0 + 30 * 60_000);
        await().during(Duration.ofMillis(300))
                .atMost(WAIT)
                .until(() -> plan("double-11").getState() == BurstState.PLANNED);
        assertThat(replicas("web")).isEqualTo(8);

        // Ramp step 1 of 2 at the start: web 8 + ceil(12/2) = 14, api 4 + 2 = 6; all in IDC.
        clock.set(t0 + 60 * 60_000 + 1000);
        await().atMost(WAIT)
                .until(
                        () ->
                                plan("double-11").getState() == BurstState.RAMPING
                                        && plan("double-11").getProgress().getStepsApplied() == 1);
        assertThat(replicas("web")).isEqualTo(14);
        assertThat(replicas("api")).isEqualTo(6);
        assertThat(
                        tenants()
                                .getTenant(GetTenantRequest.newBuilder().setName("shop").build())
                                .getQuota()
                                .getReplicas())
                .isEqualTo(28);
        awaitPlaced("web", 14);
        assertThat(cloudReplicas("web")).isZero();

        // A restart in the middle: the new leader resumes at step 1; nothing is scaled twice.
        cp.restart();
        await().atMost(WAIT)
                .until(
                        () ->
                                events("double-11").stream()
                                        .anyMatch(e -> e.getKind().equals("RESUMED")));
        assertThat(plan("double-11").getProgress().getStepsApplied()).isEqualTo(1);
        assertThat(replicas("web")).isEqualTo(14);
        assertThat(replicas("api")).isEqualTo(6);
        assertThat(plan("double-11").getProgress().getTargetsList())
                .allSatisfy(t -> assertThat(t.getUserOwned()).isFalse());

        // Step 2: the peak. IDC is full, cloud-b (cheapest allowed) 4, cloud-a 2, cloud-x none.
        clock.set(t0 + 70 * 60_000 + 1000);
        await().atMost(WAIT).until(() -> plan("double-11").getState() == BurstState.ACTIVE);
        assertThat(replicas("web")).isEqualTo(20);
        assertThat(replicas("api")).isEqualTo(8);
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(placement("web"))
                                        .containsEntry("cloud-b", 4)
                                        .containsEntry("cloud-a", 2));
        // The reconciler converges to the pinned shares whatever order it places the two in.
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Map<String, Integer> w = placement("web");
                            Map<String, Integer> a = placement("api");
                            assertThat(
                                            w.getOrDefault("idc-1", 0)
                                                    + w.getOrDefault("idc-2", 0)
                                                    + a.getOrDefault("idc-1", 0)
                                                    + a.getOrDefault("idc-2", 0))
                                    .as("IDC holds all it can (2 x 10) before cloud is used")
                                    .isEqualTo(20);
                        });
        Map<String, Integer> web = placement("web");
        Map<String, Integer> api = placement("api");
        assertThat(web).doesNotContainKey("cloud-x");
        assertThat(api.keySet()).noneMatch(c -> c.startsWith("cloud"));
        await().atMost(WAIT).until(() -> plan("double-11").getProgress().getCloudReplicas() == 6);
        assertThat(plan("double-11").getProgress().getCloudCostPerHour())
                .isCloseTo(0.40, org.assertj.core.data.Offset.offset(1e-9));
        await().atMost(WAIT)
                .until(
                        () ->
                                metrics()
                                                .contains(
                                                        "fedplane_burst_cloud_replicas{plan=\"double-11\",} 6.0")
                                        || metrics()
                                                .contains(
                                                        "fedplane_burst_cloud_replicas{plan=\"double-11\"} 6.0"));

        // The end: back to 8 and 4, no cloud replica left, the quota back to 14.
        clock.set(t0 + 180 * 60_000 + 1000);
        await().atMost(WAIT).until(() -> plan("double-11").getState() == BurstState.DONE);
        assertThat(replicas("web")).isEqualTo(8);
        assertThat(replicas("api")).isEqualTo(4);
        awaitPlaced("web", 8);
        await().atMost(WAIT).until(() -> cloudReplicas("web") + cloudReplicas("api") == 0);
        assertThat(getApp("web").getSpec().getPlacement().getBurst().getAllowCloud()).isFalse();
        assertThat(getApp("web").getSpec().getPlacement().getClusterLimitsCount()).isZero();
        assertThat(
                        tenants()
                                .getTenant(GetTenantRequest.newBuilder().setName("shop").build())
                                .getQuota()
                                .getReplicas())
                .isEqualTo(14);
        List<String> kinds = events("double-11").stream().map(BurstEvent::getKind).toList();
        assertThat(kinds)
                .contains(
                        "PLANNED",
                        "STARTED",
                        "QUOTA_RAISED",
                        "STEP",
                        "RESUMED",
                        "SCALING_BACK",
                        "QUOTA_RESTORED",
                        "DONE");
        assertThat(kinds.stream().filter(k -> k.equals("STEP")).count()).isEqualTo(2);
    }

    @Test
    @Order(4)
    @DisplayName(
            "a cancel mid-way scales back at once; an app a user scaled during the window keeps the user's count")
    void cancelMidWay() {
        long now = clock.millis();
        BurstPlanSpec s =
                spec(0, 0).toBuilder()
                        .setWindow(
                                BurstWindow.newBuilder()
                                        .setStartUnixMillis(now + 60_000)
                                        .setEndUnixMillis(now + 3_600_000))
                        .build();
        create("flash-sale", s);
        clock.set(now + 61_000);
        await().atMost(WAIT).until(() -> plan("flash-sale").getState() == BurstState.ACTIVE);
        assertThat(replicas("web")).isEqualTo(20);
        // A user sets api to 5 by hand during the window.
        apps().scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("api")
                                .setReplicas(5)
                                .build());
        await().atMost(WAIT).until(() -> cloudReplicas("web") > 0);

        BurstPlan cancelled =
                burst().cancelBurstPlan(
                                CancelBurstPlanRequest.newBuilder().setName("flash-sale").build());
        assertThat(cancelled.getState()).isEqualTo(BurstState.SCALING_BACK);
        await().atMost(WAIT).until(() -> plan("flash-sale").getState() == BurstState.CANCELLED);
        assertThat(replicas("web")).isEqualTo(8);
        assertThat(replicas("api")).as("the user's count stays").isEqualTo(5);
        await().atMost(WAIT).until(() -> cloudReplicas("web") + cloudReplicas("api") == 0);
        assertThat(events("flash-sale").stream().map(BurstEvent::getKind))
                .contains("USER_OWNED", "CANCELLED");
        assertStatus(
                () ->
                        burst().cancelBurstPlan(
                                        CancelBurstPlanRequest.newBuilder()
                                                .setName("flash-sale")
                                                .build()),
                Status.Code.FAILED_PRECONDITION,
                "already CANCELLED");
        apps().scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("api")
                                .setReplicas(4)
                                .build());
    }

    // ---------------------------------------------------------------- helpers

    /** The plan: web to 20, api x2, 2 ramp steps 10 min apart, start/end in minutes after t0. */
    private BurstPlanSpec spec(int startMin, int endMin) {
        return BurstPlanSpec.newBuilder()
                .setWindow(
                        BurstWindow.newBuilder()
                                .setStartUnixMillis(t0 + startMin * 60_000L)
                                .setEndUnixMillis(t0 + endMin * 60_000L)
                                .setRampSteps(2)
                                .setRampStepSeconds(600))
                .addTargets(
                        BurstTarget.newBuilder()
                                .setTenant("shop")
                                .setApp("web")
                                .setPeakReplicas(20))
                .addTargets(
                        BurstTarget.newBuilder().setTenant("shop").setApp("api").setMultiplier(2))
                .setCloudClusters(ClusterSelector.newBuilder().putMatchLabels("provider", "aws"))
                .setBudget(BurstBudget.newBuilder().setMaxCloudReplicas(6))
                .setRaiseTenantQuotas(true)
                .build();
    }

    private BurstPlan create(String name, BurstPlanSpec s) {
        return burst().createBurstPlan(
                        CreateBurstPlanRequest.newBuilder().setName(name).setSpec(s).build());
    }

    private BurstPlan plan(String name) {
        return burst().getBurstPlan(GetBurstPlanRequest.newBuilder().setName(name).build());
    }

    private List<BurstEvent> events(String name) {
        return burst().listBurstEvents(ListBurstEventsRequest.newBuilder().setName(name).build())
                .getEventsList();
    }

    private static BurstDryRunApp appOf(BurstDryRun d, String app) {
        return d.getAppsList().stream()
                .filter(a -> a.getApp().equals(app))
                .findFirst()
                .orElseThrow();
    }

    private BurstPlanServiceGrpc.BurstPlanServiceBlockingStub burst() {
        return withToken(BurstPlanServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private TenantServiceGrpc.TenantServiceBlockingStub tenants() {
        return withToken(TenantServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private AppServiceGrpc.AppServiceBlockingStub apps() {
        return withToken(AppServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private App getApp(String name) {
        return apps().getApp(GetAppRequest.newBuilder().setTenant("shop").setName(name).build());
    }

    private int replicas(String app) {
        return getApp(app).getSpec().getReplicas();
    }

    /** Where the reconciler placed the app (its status), once it placed the current generation. */
    private Map<String, Integer> placement(String app) {
        Map<String, Integer> m = new TreeMap<>();
        for (ClusterReplicas c : getApp(app).getStatus().getClustersList()) {
            m.put(c.getCluster(), c.getDesired());
        }
        return m;
    }

    private int cloudReplicas(String app) {
        return placement(app).entrySet().stream()
                .filter(e -> e.getKey().startsWith("cloud"))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    private void awaitPlaced(String app, int replicas) {
        await().atMost(WAIT)
                .until(
                        () -> {
                            App a = getApp(app);
                            return a.getStatus().getObservedGeneration() == a.getGeneration()
                                    && a.getStatus().getClustersList().stream()
                                                    .mapToInt(ClusterReplicas::getDesired)
                                                    .sum()
                                            == replicas;
                        });
    }

    private void cluster(String name, String tier, String provider, double cost) {
        cluster(name, tier, provider, cost, 10_000);
    }

    private void cluster(String name, String tier, String provider, double cost, long cpuMillis) {
        Cluster.Builder c =
                Fixtures.aCluster(name)
                        .putLabels("tier", tier)
                        .putLabels("provider", provider)
                        .putLabels("idc", name)
                        .setCostPerCpuHour(cost)
                        .setCapacity(
                                ClusterCapacity.newBuilder()
                                        .setAllocatable(
                                                Resources.newBuilder()
                                                        .setCpuMillis(cpuMillis)
                                                        .setMemoryMib(1_000_000)
                                                        .setPods(1000))
                                        .setRequested(Resources.newBuilder()));
        withToken(ClusterServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN)
                .createCluster(CreateClusterRequest.newBuilder().setCluster(c).build());
    }

    /** An app of one-CPU replicas that stays in IDC (burst.allowCloud false) outside events. */
    private void app(String name, int replicas) {
        AppSpec.Builder spec =
                Fixtures.aSpec(replicas)
                        .setResources(Resources.newBuilder().setCpuMillis(1000).setMemoryMib(512));
        spec.getPlacementBuilder().setBurst(BurstPolicy.newBuilder().setAllowCloud(false));
        apps().createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(Fixtures.anApp("shop", name, replicas).setSpec(spec))
                                .build());
    }

    private String metrics() {
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + cp.httpPort()
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            return "";
        }
    }

    private static void assertStatus(Runnable call, Status.Code code, String text) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            assertThat(e.getStatus().getDescription()).contains(text);
                        });
    }
}
