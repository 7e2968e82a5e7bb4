package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.controlplane.reconcile.ReconcileStore;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.GetTenantRequest;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.UpdateTenantRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Per-app failure isolation of the reconciler, on a real control plane (H2) with a protocol-level
 * agent: an app whose reconcile throws (its stored placement is unreadable) is retried with backoff
 * and counted, while every other app of the same pass is placed, stored and sent.
 */
class ReconcilerIsolationIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private ControlPlaneHarness cp;
    private Stubs admin;
    private ProtocolAgent agent;

    @BeforeEach
    void start() {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.reconciler.resync-interval", "60s",
                                "fedplane.reconciler.retry-base", "100ms",
                                "fedplane.reconciler.retry-max", "1s"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        cp.close();
    }

    private App app(String name) {
        return admin.apps()
                .getApp(GetAppRequest.newBuilder().setTenant("shop").setName(name).build());
    }

    private static int desired(App a) {
        return a.getStatus().getClustersList().stream().mapToInt(ClusterReplicas::getDesired).sum();
    }

    private void scale(String name, int replicas) {
        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName(name)
                                .setReplicas(replicas)
                                .build());
    }

    @Test
    @DisplayName(
            "when one app's placement throws, every other app still converges in the same pass and the failing one is counted and retried")
    void oneBadAppDoesNotStallTheFleet() throws Exception {
        String token =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(1)
                                        .setTtlSeconds(3600)
                                        .setDescription("test agent")
                                        .build())
                        .getSecret();
        agent = new ProtocolAgent(cp.channel(), "idc-a-1");
        agent.register(
                token,
                Map.of("region", "east", "tier", "idc"),
                ProtocolAgent.capacity(64000, 262144, 1100));
        agent.connect();
        await().atMost(WAIT)
                .until(
                        () ->
                                admin.clusters()
                                                .getCluster(
                                                        GetClusterRequest.newBuilder()
                                                                .setName("idc-a-1")
                                                                .build())
                                                .getState()
                                        == ClusterState.READY);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        for (String name : List.of("web", "cart", "api")) {
            admin.apps()
                    .createApp(
                            CreateAppRequest.newBuilder().setApp(anApp("shop", name, 1)).build());
        }
        agent.applyUntil(
                () ->
                        agent.replicasOf("shop/web") == 1
                                && agent.replicasOf("shop/cart") == 1
                                && agent.replicasOf("shop/api") == 1,
                WAIT);

        // cart's stored placement becomes unreadable (written through the leader's own fenced
        // write),
        // so reconciling cart throws every time.
        long epoch = cp.context().getBean(Leadership.class).epoch();
        AppStore.Stored cart =
                cp.context().getBean(AppStore.class).find("shop", "cart").orElseThrow();
        cp.context()
                .getBean(ReconcileStore.class)
                .writeApps(
                        epoch,
                        List.of(
                                new ReconcileStore.AppWrite(
                                        cart.id(),
                                        "{\"policyHash\": [not json",
                                        cart.app().status())));
        double failuresBefore = failures();

        // A tenant change makes the next pass reconcile every app, cart included; the scales
        // follow.
        var shop = admin.tenants().getTenant(GetTenantRequest.newBuilder().setName("shop").build());
        admin.tenants()
                .updateTenant(
                        UpdateTenantRequest.newBuilder()
                                .setTenant(shop.toBuilder().setDisplayName("Shop, renamed"))
                                .build());
        scale("web", 3);
        scale("api", 2);
        scale("cart", 2);

        agent.applyUntil(
                () -> agent.replicasOf("shop/web") == 3 && agent.replicasOf("shop/api") == 2, WAIT);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(desired(app("web"))).isEqualTo(3);
                            assertThat(desired(app("api"))).isEqualTo(2);
                            assertThat(app("web").getStatus().getObservedGeneration()).isEqualTo(2);
                        });
        // cart keeps failing: it is counted on every retry, and the agent keeps its last good
        // workload.
        await().atMost(WAIT).until(() -> failures() >= failuresBefore + 2);
        assertThat(agent.replicasOf("shop/cart")).isEqualTo(1);
        assertThat(desired(app("cart"))).isEqualTo(1);
    }

    private double failures() {
        var c =
                cp.context()
                        .getBean(MeterRegistry.class)
                        .find("fedplane_reconcile_app_failures")
                        .counter();
        return c == null ? 0 : c.count();
    }
}
