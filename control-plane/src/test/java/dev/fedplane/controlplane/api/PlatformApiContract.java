package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static dev.fedplane.controlplane.testing.Fixtures.aCluster;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every RPC's happy path, optimistic concurrency and durability across a restart, over a real gRPC
 * channel to a real server on a free port. Subclasses pick the store, so the same contract runs on
 * H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PlatformApiContract {
    private ControlPlaneHarness cp;

    abstract ControlPlaneHarness.Store store();

    @BeforeAll
    void start() {
        cp = ControlPlaneHarness.start(store());
    }

    @AfterAll
    void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    private TenantServiceGrpc.TenantServiceBlockingStub tenants() {
        return withToken(TenantServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private AppServiceGrpc.AppServiceBlockingStub apps() {
        return withToken(AppServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private ClusterServiceGrpc.ClusterServiceBlockingStub clusters() {
        return withToken(ClusterServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private TokenServiceGrpc.TokenServiceBlockingStub tokens() {
        return withToken(TokenServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    @Test
    @DisplayName("a tenant is created, read, listed, updated and deleted")
    void tenantLifecycle() {
        Tenant created =
                tenants()
                        .createTenant(
                                CreateTenantRequest.newBuilder()
                                        .setTenant(
                                                aTenant("life", 8000, 16384, 20)
                                                        .setNetwork(
                                                                NetworkRules.newBuilder()
                                                                        .addEgress(
                                                                                EgressRule
                                                                                        .newBuilder()
                                                                                        .setCidr(
                                                                                                "10.0.32.0/24")
                                                                                        .setPort(
                                                                                                5978))))
                                        .build());
        assertThat(created.getResourceVersion()).isPositive();
        assertThat(created.getQuota().getCpuMillis()).isEqualTo(8000);
        assertThat(created.getNetwork().getEgress(0).getProtocol()).isEqualTo("TCP");

        Tenant read = tenants().getTenant(GetTenantRequest.newBuilder().setName("life").build());
        assertThat(read).isEqualTo(created);

        assertThat(tenants().listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsList())
                .extracting(Tenant::getName)
                .contains("life");

        Tenant updated =
                tenants()
                        .updateTenant(
                                UpdateTenantRequest.newBuilder()
                                        .setTenant(
                                                read.toBuilder()
                                                        .setDisplayName("Lifecycle")
                                                        .setQuota(
                                                                TenantQuota.newBuilder()
                                                                        .setReplicas(5)))
                                        .build());
        assertThat(updated.getDisplayName()).isEqualTo("Lifecycle");
        assertThat(updated.getQuota().hasCpuMillis()).isFalse();
        assertThat(updated.getResourceVersion()).isGreaterThan(read.getResourceVersion());

        tenants().deleteTenant(DeleteTenantRequest.newBuilder().setName("life").build());
        assertThatThrownBy(
                        () ->
                                tenants()
                                        .getTenant(
                                                GetTenantRequest.newBuilder()
                                                        .setName("life")
                                                        .build()))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    @DisplayName("list calls page through every object exactly once")
    void paging() {
        for (int i = 0; i < 7; i++) {
            tenants()
                    .createTenant(
                            CreateTenantRequest.newBuilder()
                                    .setTenant(aTenant("page-" + i))
                                    .build());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListTenantsResponse page =
                    tenants()
                            .listTenants(
                                    ListTenantsRequest.newBuilder()
                                            .setPageSize(3)
                                            .setPageToken(token)
                                            .build());
            page.getTenantsList().forEach(t -> seen.add(t.getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(seen.stream().filter(n -> n.startsWith("page-")))
                .containsExactly(
                        "page-0", "page-1", "page-2", "page-3", "page-4", "page-5", "page-6");
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName(
            "an app is created, read, listed, updated, scaled and deleted, raising its generation")
    void appLifecycle() {
        tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("shop", 10000, 10240, 20))
                                .build());
        App created =
                apps().createApp(
                                CreateAppRequest.newBuilder()
                                        .setApp(anApp("shop", "web", 4))
                                        .build());
        assertThat(created.getGeneration()).isEqualTo(1);
        assertThat(created.getSpec().getReplicas()).isEqualTo(4);
        assertThat(created.getStatus().getConditionsList())
                .extracting(Condition::getType)
                .contains("Scheduled");

        // The reconciler may have written the status meanwhile (it does not raise
        // resource_version).
        assertThat(
                        withoutStatus(
                                apps().getApp(
                                                GetAppRequest.newBuilder()
                                                        .setTenant("shop")
                                                        .setName("web")
                                                        .build())))
                .isEqualTo(withoutStatus(created));
        assertThat(
                        apps().listApps(ListAppsRequest.newBuilder().setTenant("shop").build())
                                .getAppsList())
                .extracting(App::getName)
                .containsExactly("web");

        App updated =
                apps().updateApp(
                                UpdateAppRequest.newBuilder()
                                        .setApp(
                                                created.toBuilder()
                                                        .setSpec(
                                                                created.getSpec().toBuilder()
                                                                        .setImage(
                                                                                "registry.example/web:2.0")))
                                        .build());
        assertThat(updated.getGeneration()).isEqualTo(2);
        assertThat(updated.getSpec().getImage()).isEqualTo("registry.example/web:2.0");

        App scaled =
                apps().scaleApp(
                                ScaleAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("web")
                                        .setReplicas(8)
                                        .setResourceVersion(updated.getResourceVersion())
                                        .build());
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(8);
        assertThat(scaled.getGeneration()).isEqualTo(3);

        var capacity = withToken(CapacityServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
        assertThat(
                        capacity.getTenantUsage(
                                        GetTenantUsageRequest.newBuilder()
                                                .setTenant("shop")
                                                .build())
                                .getReplicas())
                .isEqualTo(8);
        apps().deleteApp(DeleteAppRequest.newBuilder().setTenant("shop").setName("web").build());
        assertThat(
                        apps().listApps(ListAppsRequest.newBuilder().setTenant("shop").build())
                                .getAppsList())
                .isEmpty();
        assertThat(
                        capacity.getTenantUsage(
                                        GetTenantUsageRequest.newBuilder()
                                                .setTenant("shop")
                                                .build())
                                .getReplicas())
                .isZero();
    }

    @Test
    @DisplayName("a cluster is created, labelled, cordoned, drained, uncordoned and deleted")
    void clusterLifecycle() {
        Cluster c =
                clusters()
                        .createCluster(
                                CreateClusterRequest.newBuilder()
                                        .setCluster(aCluster("idc-a-1"))
                                        .build());
        assertThat(c.getState()).isEqualTo(ClusterState.READY);
        assertThat(c.getCapacity().getFree().getCpuMillis()).isEqualTo(52000);

        Cluster labelled =
                clusters()
                        .updateCluster(
                                UpdateClusterRequest.newBuilder()
                                        .setCluster(
                                                c.toBuilder()
                                                        .putLabels("zone", "z1")
                                                        .addTaints(
                                                                Taint.newBuilder()
                                                                        .setKey("dedicated")
                                                                        .setValue("t1")))
                                        .build());
        assertThat(labelled.getLabelsMap()).containsEntry("zone", "z1");
        assertThat(labelled.getTaints(0).getEffect()).isEqualTo("NoSchedule");

        Cluster cordoned =
                clusters()
                        .cordonCluster(
                                CordonClusterRequest.newBuilder().setName("idc-a-1").build());
        assertThat(cordoned.getState()).isEqualTo(ClusterState.CORDONED);
        Cluster draining =
                clusters()
                        .drainCluster(DrainClusterRequest.newBuilder().setName("idc-a-1").build());
        assertThat(draining.getState()).isEqualTo(ClusterState.DRAINING);
        Cluster back =
                clusters()
                        .uncordonCluster(
                                UncordonClusterRequest.newBuilder().setName("idc-a-1").build());
        assertThat(back.getState()).isEqualTo(ClusterState.READY);

        assertThat(clusters().getCluster(GetClusterRequest.newBuilder().setName("idc-a-1").build()))
                .isEqualTo(back);
        assertThat(
                        clusters()
                                .listClusters(
                                        ListClustersRequest.newBuilder()
                                                .setSelector(
                                                        ClusterSelector.newBuilder()
                                                                .putMatchLabels("zone", "z1"))
                                                .build())
                                .getClustersList())
                .extracting(Cluster::getName)
                .containsExactly("idc-a-1");
        assertThat(
                        clusters()
                                .listClusters(
                                        ListClustersRequest.newBuilder()
                                                .setSelector(
                                                        ClusterSelector.newBuilder()
                                                                .putMatchLabels("zone", "z9"))
                                                .build())
                                .getClustersList())
                .isEmpty();

        clusters().deleteCluster(DeleteClusterRequest.newBuilder().setName("idc-a-1").build());
        assertThatThrownBy(
                        () ->
                                clusters()
                                        .getCluster(
                                                GetClusterRequest.newBuilder()
                                                        .setName("idc-a-1")
                                                        .build()))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    @DisplayName(
            "a token is created, works, is listed without its secret, and stops working once revoked")
    void tokenLifecycle() {
        tenants().createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("tok")).build());
        CreateTokenResponse created =
                tokens().createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(Role.TENANT_VIEWER)
                                        .setTenant("tok")
                                        .setDescription("ci reader")
                                        .build());
        assertThat(created.getSecret()).startsWith(created.getToken().getId() + ".");

        var viewer =
                withToken(TenantServiceGrpc.newBlockingStub(cp.channel()), created.getSecret());
        assertThat(viewer.getTenant(GetTenantRequest.newBuilder().setName("tok").build()).getName())
                .isEqualTo("tok");

        ListTokensResponse listed =
                tokens().listTokens(ListTokensRequest.newBuilder().setTenant("tok").build());
        assertThat(listed.getTokensList())
                .extracting(Token::getId)
                .containsExactly(created.getToken().getId());
        assertThat(listed.toString()).doesNotContain(created.getSecret());

        Token revoked =
                tokens().revokeToken(
                                RevokeTokenRequest.newBuilder()
                                        .setId(created.getToken().getId())
                                        .build());
        assertThat(revoked.getRevoked()).isTrue();
        assertThatThrownBy(
                        () ->
                                viewer.getTenant(
                                        GetTenantRequest.newBuilder().setName("tok").build()))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.UNAUTHENTICATED));

        CreateTokenResponse boot =
                tokens().createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(3)
                                        .setTtlSeconds(600)
                                        .build());
        assertThat(boot.getToken().getMaxUses()).isEqualTo(3);
        assertThat(boot.getToken().getExpireTimeUnixMillis()).isPositive();
        var asBootstrap =
                withToken(TenantServiceGrpc.newBlockingStub(cp.channel()), boot.getSecret());
        assertThatThrownBy(() -> asBootstrap.listTenants(ListTenantsRequest.getDefaultInstance()))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    @DisplayName("water levels group clusters by label and tenant usage sums the tenant's apps")
    void capacityViews() {
        clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder()
                                .setCluster(aCluster("cap-a").putLabels("region", "north"))
                                .build());
        clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder()
                                .setCluster(
                                        aCluster("cap-b")
                                                .putLabels("region", "north")
                                                .putLabels("tier", "cloud"))
                                .build());
        var capacity = withToken(CapacityServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
        GetWaterLevelsResponse levels =
                capacity.getWaterLevels(
                        GetWaterLevelsRequest.newBuilder()
                                .setGroupBy(GetWaterLevelsRequest.GroupBy.TIER)
                                .setSelector(
                                        ClusterSelector.newBuilder()
                                                .putMatchLabels("region", "north"))
                                .build());
        assertThat(levels.getLevelsList())
                .extracting(WaterLevel::getKey)
                .containsExactly("cloud", "idc");
        assertThat(levels.getTotal().getClusterCount()).isEqualTo(2);
        assertThat(levels.getTotal().getFree().getCpuMillis()).isEqualTo(2 * 52000);

        tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("usage", 100000, 100000, 100))
                                .build());
        apps().createApp(CreateAppRequest.newBuilder().setApp(anApp("usage", "a", 3)).build());
        apps().createApp(CreateAppRequest.newBuilder().setApp(anApp("usage", "b", 2)).build());
        TenantUsage usage =
                capacity.getTenantUsage(
                        GetTenantUsageRequest.newBuilder().setTenant("usage").build());
        assertThat(usage.getReplicas()).isEqualTo(5);
        assertThat(usage.getRequested().getCpuMillis()).isEqualTo(5 * 500);
        assertThat(usage.getQuotaReplicas()).isEqualTo(100);
    }

    @Test
    @DisplayName(
            "of two updates with the same resource_version exactly one wins and the other is ABORTED")
    void optimisticConcurrency() throws Exception {
        Tenant base =
                tenants()
                        .createTenant(
                                CreateTenantRequest.newBuilder()
                                        .setTenant(aTenant("race"))
                                        .build());
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Status.Code>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String name = "writer-" + i;
            results.add(
                    pool.submit(
                            (Callable<Status.Code>)
                                    () -> {
                                        go.await();
                                        try {
                                            tenants()
                                                    .updateTenant(
                                                            UpdateTenantRequest.newBuilder()
                                                                    .setTenant(
                                                                            base.toBuilder()
                                                                                    .setDisplayName(
                                                                                            name))
                                                                    .build());
                                            return Status.Code.OK;
                                        } catch (StatusRuntimeException e) {
                                            return e.getStatus().getCode();
                                        }
                                    }));
        }
        go.countDown();
        List<Status.Code> codes = new ArrayList<>();
        for (Future<Status.Code> f : results) {
            codes.add(f.get());
        }
        pool.shutdown();
        assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(1);
        assertThat(codes)
                .filteredOn(c -> c != Status.Code.OK)
                .allMatch(c -> c == Status.Code.ABORTED);
        Tenant after = tenants().getTenant(GetTenantRequest.newBuilder().setName("race").build());
        assertThat(after.getResourceVersion()).isEqualTo(base.getResourceVersion() + 1);
    }

    @Test
    @DisplayName(
            "concurrent scale-ups of one tenant's apps from several threads never overshoot its quota")
    void concurrentScalesNeverOvershootQuota() throws Exception {
        tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("crowd", 1_000_000, 1_000_000, 20))
                                .build());
        int threads = 5;
        for (int i = 0; i < threads; i++) {
            apps().createApp(
                            CreateAppRequest.newBuilder()
                                    .setApp(anApp("crowd", "app-" + i, 1))
                                    .build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String name = "app-" + i;
            results.add(
                    pool.submit(
                            () -> {
                                go.await();
                                int replicas = 1;
                                int ok = 0;
                                int refused = 0;
                                for (int attempt = 0; attempt < 10; attempt++) {
                                    try {
                                        apps().scaleApp(
                                                        ScaleAppRequest.newBuilder()
                                                                .setTenant("crowd")
                                                                .setName(name)
                                                                .setReplicas(replicas + 1)
                                                                .build());
                                        replicas++;
                                        ok++;
                                    } catch (StatusRuntimeException e) {
                                        assertThat(e.getStatus().getCode())
                                                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                                        refused++;
                                    }
                                }
                                return new int[] {ok, refused};
                            }));
        }
        go.countDown();
        int ok = 0;
        for (Future<int[]> f : results) {
            ok += f.get()[0];
        }
        pool.shutdown();
        int total =
                apps()
                        .listApps(ListAppsRequest.newBuilder().setTenant("crowd").build())
                        .getAppsList()
                        .stream()
                        .mapToInt(a -> a.getSpec().getReplicas())
                        .sum();
        // 5 apps start at 1 replica (5 used); 50 attempts of +1 compete for the 15 left under the
        // quota of 20.
        assertThat(total).isEqualTo(20);
        assertThat(ok).isEqualTo(15);
        var capacity = withToken(CapacityServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
        TenantUsage usage =
                capacity.getTenantUsage(
                        GetTenantUsageRequest.newBuilder().setTenant("crowd").build());
        assertThat(usage.getReplicas()).isEqualTo(total);
        assertThat(usage.getRequested().getCpuMillis()).isEqualTo(total * 500L);
        // The kept counter equals the sum over the apps' rows.
        AppStore store = cp.context().getBean(AppStore.class);
        assertThat(store.usageOf("crowd")).isEqualTo(store.summedUsageOf("crowd"));
    }

    @Test
    @DisplayName("acknowledged writes survive a restart of the control plane")
    void durability() {
        tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("durable", 4000, 4096, 8))
                                .build());
        App app =
                apps().createApp(
                                CreateAppRequest.newBuilder()
                                        .setApp(anApp("durable", "api", 2))
                                        .build());
        clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder()
                                .setCluster(aCluster("durable-1"))
                                .build());

        cp.restart();

        assertThat(
                        tenants()
                                .getTenant(GetTenantRequest.newBuilder().setName("durable").build())
                                .getQuota()
                                .getReplicas())
                .isEqualTo(8);
        assertThat(
                        withoutStatus(
                                apps().getApp(
                                                GetAppRequest.newBuilder()
                                                        .setTenant("durable")
                                                        .setName("api")
                                                        .build())))
                .isEqualTo(withoutStatus(app));
        assertThat(
                        clusters()
                                .getCluster(
                                        GetClusterRequest.newBuilder().setName("durable-1").build())
                                .getState())
                .isEqualTo(ClusterState.READY);
    }

    /** An app without its status, which the reconciler writes on its own schedule. */
    static App withoutStatus(App a) {
        return a.toBuilder().clearStatus().build();
    }
}
