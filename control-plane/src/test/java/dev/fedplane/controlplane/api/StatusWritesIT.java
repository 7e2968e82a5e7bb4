package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aCluster;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.agent.AgentStore;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.controlplane.reconcile.ReconcileStore;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.CordonClusterRequest;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateClusterRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.DeleteAppRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.UncordonClusterRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The leader's status and placement writes live in their own table ({@code app_status}): they never
 * contend with users' writes of the app row, never move its resource_version, and a write of a
 * lower epoch than the row's changes nothing. Users' writes of a cluster hold its row, so an
 * agent's heartbeat cannot make them fail either.
 */
class StatusWritesIT {
    private ControlPlaneHarness cp;

    @AfterEach
    void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    private Stubs start(ControlPlaneHarness.Store store) {
        cp = ControlPlaneHarness.start(store, Map.of("fedplane.reconciler.resync-interval", "60s"));
        Stubs admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 1)).build());
        return admin;
    }

    private static App web(Stubs admin) {
        return admin.apps()
                .getApp(GetAppRequest.newBuilder().setTenant("shop").setName("web").build());
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "scales at the current resource_version are never refused while the leader rewrites the app's status")
    @EnumSource(ControlPlaneHarness.Store.class)
    void scalesAtTheCurrentVersionAreNeverRefusedWhileTheLeaderRewritesTheStatus(
            ControlPlaneHarness.Store store) throws Exception {
        Stubs admin = start(store);
        long epoch = cp.context().getBean(Leadership.class).epoch();
        ReconcileStore leader = cp.context().getBean(ReconcileStore.class);
        AppStore.Stored stored =
                cp.context().getBean(AppStore.class).find("shop", "web").orElseThrow();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger statusWrites = new AtomicInteger();
        CompletableFuture<Void> writer =
                CompletableFuture.runAsync(
                        () -> {
                            while (!done.get()) {
                                leader.writeApps(
                                        epoch,
                                        List.of(
                                                new ReconcileStore.AppWrite(
                                                        stored.id(), null, stored.app().status())));
                                statusWrites.incrementAndGet();
                            }
                        });
        try {
            for (int i = 2; i <= 40; i++) {
                App now = web(admin);
                App scaled =
                        admin.apps()
                                .scaleApp(
                                        ScaleAppRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .setReplicas(i)
                                                .setResourceVersion(now.getResourceVersion())
                                                .build());
                assertThat(scaled.getResourceVersion()).isEqualTo(now.getResourceVersion() + 1);
            }
        } finally {
            done.set(true);
            writer.get();
        }
        assertThat(statusWrites.get()).isPositive();
        assertThat(web(admin).getSpec().getReplicas()).isEqualTo(40);
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "cordons and uncordons at the current resource_version are never refused while an agent's heartbeats write the cluster")
    @EnumSource(ControlPlaneHarness.Store.class)
    void clusterWritesAreNeverRefusedWhileHeartbeatsArrive(ControlPlaneHarness.Store store)
            throws Exception {
        Stubs admin = start(store);
        admin.clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder().setCluster(aCluster("idc-a-1")).build());
        long epoch = cp.context().getBean(Leadership.class).epoch();
        AgentStore agents = cp.context().getBean(AgentStore.class);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger heartbeats = new AtomicInteger();
        CompletableFuture<Void> agent =
                CompletableFuture.runAsync(
                        () -> {
                            Quantities alloc = new Quantities(64000, 262144, 1100);
                            while (!done.get()) {
                                agents.heartbeat(
                                        epoch,
                                        "idc-a-1",
                                        alloc,
                                        new Quantities(1000 + heartbeats.get() % 2, 0, 1),
                                        Quantities.ZERO,
                                        System.currentTimeMillis());
                                heartbeats.incrementAndGet();
                            }
                        });
        try {
            for (int i = 0; i < 20; i++) {
                Cluster now =
                        admin.clusters()
                                .getCluster(
                                        GetClusterRequest.newBuilder().setName("idc-a-1").build());
                Cluster next =
                        i % 2 == 0
                                ? admin.clusters()
                                        .cordonCluster(
                                                CordonClusterRequest.newBuilder()
                                                        .setName("idc-a-1")
                                                        .setResourceVersion(
                                                                now.getResourceVersion())
                                                        .build())
                                : admin.clusters()
                                        .uncordonCluster(
                                                UncordonClusterRequest.newBuilder()
                                                        .setName("idc-a-1")
                                                        .setResourceVersion(
                                                                now.getResourceVersion())
                                                        .build());
                assertThat(next.getResourceVersion()).isEqualTo(now.getResourceVersion() + 1);
            }
        } finally {
            done.set(true);
            agent.get();
        }
        assertThat(heartbeats.get()).isPositive();
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName("the leader removes a deleted app's status row")
    @EnumSource(ControlPlaneHarness.Store.class)
    void deletedAppsLeaveNoStatusRow(ControlPlaneHarness.Store store) {
        Stubs admin = start(store);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> web(admin).getStatus().getObservedGeneration() == 1);
        assertThat(statusRows()).isEqualTo(1);

        admin.apps()
                .deleteApp(DeleteAppRequest.newBuilder().setTenant("shop").setName("web").build());

        await().atMost(Duration.ofSeconds(15)).until(() -> statusRows() == 0);
    }

    private long statusRows() {
        return cp.context()
                .getBean(dev.fedplane.controlplane.app.AppStatusRepository.class)
                .count();
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "a status write of an older epoch is refused and no status write moves the app's resource_version")
    @EnumSource(ControlPlaneHarness.Store.class)
    void aStatusWriteOfADeposedLeaderIsRefusedAndMovesNoResourceVersion(
            ControlPlaneHarness.Store store) {
        Stubs admin = start(store);
        // The reconciler's own first write of the app's status comes first (nothing queues the app
        // again).
        await().atMost(Duration.ofSeconds(15))
                .until(() -> web(admin).getStatus().getObservedGeneration() == 1);
        long epoch = cp.context().getBean(Leadership.class).epoch();
        ReconcileStore leader = cp.context().getBean(ReconcileStore.class);
        AppStore apps = cp.context().getBean(AppStore.class);
        AppStore.Stored stored = apps.find("shop", "web").orElseThrow();
        long version = web(admin).getResourceVersion();
        dev.fedplane.controlplane.app.App.Status mine =
                new dev.fedplane.controlplane.app.App.Status(
                        1, List.of(), List.of(), 3, "from epoch " + epoch);
        leader.writeApps(epoch, List.of(new ReconcileStore.AppWrite(stored.id(), null, mine)));

        // The leader's own writes land; an older epoch's are refused, by the fence and by the row's
        // epoch.
        dev.fedplane.controlplane.app.App.Status late =
                new dev.fedplane.controlplane.app.App.Status(
                        1, List.of(), List.of(), 4, "from an older epoch");
        assertThatThrownBy(
                        () ->
                                leader.writeApps(
                                        epoch - 1,
                                        List.of(
                                                new ReconcileStore.AppWrite(
                                                        stored.id(), null, late))))
                .hasMessageContaining("superseded");
        apps.writeStatus(stored.id(), late, epoch - 1, 0);

        App read = web(admin);
        assertThat(read.getStatus().getUnschedulableReason()).isEqualTo("from epoch " + epoch);
        assertThat(read.getResourceVersion()).isEqualTo(version);
    }
}
