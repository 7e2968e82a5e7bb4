package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aSpec;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppRevisionServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterDecision;
import dev.fedplane.proto.v1.ClusterOverride;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.EffectiveSpec;
import dev.fedplane.proto.v1.EnvVar;
import dev.fedplane.proto.v1.ExplainAppRequest;
import dev.fedplane.proto.v1.Explanation;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.GetEffectiveSpecRequest;
import dev.fedplane.proto.v1.GetEffectiveSpecResponse;
import dev.fedplane.proto.v1.ListAppRevisionsRequest;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.UpdateAppRequest;
import dev.fedplane.proto.v1.UpdateClusterRequest;
import dev.fedplane.proto.v1.Workload;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Per-cluster overrides end to end, over real gRPC with three agents driven message by message
 * (bj-1 and bj-2 labelled idc=bj, sh-1 idc=sh): what each agent receives and what ExplainApp and
 * GetEffectiveSpec say, field by field; an override-only change reaches the agents without a new
 * revision; a bad update leaves the app as it was.
 */
class OverridesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private ControlPlaneHarness cp;
    private Stubs admin;
    private final List<ProtocolAgent> agents = new ArrayList<>();
    private ProtocolAgent bj1;
    private ProtocolAgent bj2;
    private ProtocolAgent sh1;

    @BeforeEach
    void start() throws Exception {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.health.check-interval", "200ms",
                                "fedplane.health.lost-after", "5s",
                                "fedplane.reconciler.resync-interval", "2s",
                                "fedplane.agent.retry-after-failure", "200ms",
                                "fedplane.tenancy.quota-headroom-percent", "0"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        String token =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(3)
                                        .setTtlSeconds(3600)
                                        .build())
                        .getSecret();
        bj1 = agent("bj-1", "bj", token);
        bj2 = agent("bj-2", "bj", token);
        sh1 = agent("sh-1", "sh", token);
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("shop", 100_000, 102_400, 100))
                                .build());
    }

    @AfterEach
    void stop() {
        agents.forEach(ProtocolAgent::close);
        cp.close();
    }

    private ProtocolAgent agent(String name, String idc, String token) {
        ProtocolAgent a = new ProtocolAgent(cp.channel(), name);
        agents.add(a);
        a.register(
                token,
                Map.of("idc", idc, "tier", "idc"),
                ProtocolAgent.capacity(16_000, 65_536, 110));
        a.connect();
        return a;
    }

    private static ClusterSelector byLabel(String k, String v) {
        return ClusterSelector.newBuilder().putMatchLabels(k, v).build();
    }

    /** 8 replicas; bj pulls from its own registry with less CPU and a floor; bj-2 differs more. */
    private static AppSpec.Builder spec(String team) {
        return aSpec(8).addEnv(EnvVar.newBuilder().setName("MODE").setValue("prod"))
                .addEnv(EnvVar.newBuilder().setName("DEBUG").setValue("0"))
                .addOverrides(
                        ClusterOverride.newBuilder()
                                .setName("bj-registry")
                                .setSelector(byLabel("idc", "bj"))
                                .setImageRegistry("harbor.bj.example")
                                .addEnv(EnvVar.newBuilder().setName("REGION").setValue("bj"))
                                .addRemoveEnv("DEBUG")
                                .setResources(Resources.newBuilder().setCpuMillis(250))
                                .putLabels("team", team)
                                .putAnnotations("example.com/owner", "ops-bj")
                                .setReplicasFloor(3))
                .addOverrides(
                        ClusterOverride.newBuilder()
                                .setName("bj-2-mirror")
                                .setSelector(ClusterSelector.newBuilder().addNames("bj-2"))
                                .setImagePrefix("mirror.bj2.example/cache")
                                .addEnv(EnvVar.newBuilder().setName("REGION").setValue("bj2"))
                                .putLabels("team", "payments"));
    }

    private static List<String> env(List<EnvVar> env) {
        return env.stream().map(e -> e.getName() + "=" + e.getValue()).toList();
    }

    private void awaitWorkloads() throws InterruptedException {
        bj1.applyUntil(() -> bj1.workloads.containsKey("shop/web"), WAIT);
        bj2.applyUntil(() -> bj2.workloads.containsKey("shop/web"), WAIT);
        sh1.applyUntil(() -> sh1.workloads.containsKey("shop/web"), WAIT);
    }

    @Test
    @DisplayName(
            "each agent receives the app's effective spec for its cluster, and ExplainApp and GetEffectiveSpec show the same, field by field")
    void effectiveSpecPerCluster() throws Exception {
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .setSpec(spec("checkout")))
                                .build());
        awaitWorkloads();

        Workload b1 = bj1.workloads.get("shop/web");
        assertThat(b1.getImage()).isEqualTo("harbor.bj.example/web:1.0");
        assertThat(b1.getResources().getCpuMillis()).isEqualTo(250);
        assertThat(b1.getResources().getMemoryMib()).isEqualTo(512);
        assertThat(env(b1.getEnvList())).containsExactly("MODE=prod", "REGION=bj");
        assertThat(b1.getLabelsMap()).isEqualTo(Map.of("team", "checkout"));
        assertThat(b1.getAnnotationsMap()).isEqualTo(Map.of("example.com/owner", "ops-bj"));
        assertThat(b1.getReplicas()).isGreaterThanOrEqualTo(3);

        Workload b2 = bj2.workloads.get("shop/web");
        assertThat(b2.getImage()).isEqualTo("mirror.bj2.example/cache/web:1.0");
        assertThat(b2.getResources().getCpuMillis()).isEqualTo(250);
        assertThat(env(b2.getEnvList())).containsExactly("MODE=prod", "REGION=bj2");
        assertThat(b2.getLabelsMap()).isEqualTo(Map.of("team", "payments"));
        assertThat(b2.getAnnotationsMap()).isEqualTo(Map.of("example.com/owner", "ops-bj"));
        assertThat(b2.getReplicas()).isGreaterThanOrEqualTo(3);

        Workload s1 = sh1.workloads.get("shop/web");
        assertThat(s1.getImage()).isEqualTo("registry.example/web:1.0");
        assertThat(s1.getResources().getCpuMillis()).isEqualTo(500);
        assertThat(env(s1.getEnvList())).containsExactly("MODE=prod", "DEBUG=0");
        assertThat(s1.getLabelsMap()).isEmpty();
        assertThat(s1.getAnnotationsMap()).isEmpty();
        assertThat(b1.getReplicas() + b2.getReplicas() + s1.getReplicas()).isEqualTo(8);

        // The tenant's namespace quota (no headroom here) counts each cluster's effective request.
        assertThat(bj1.namespaces.get("shop").getQuota().getCpuMillis())
                .isEqualTo(250L * b1.getReplicas());
        assertThat(sh1.namespaces.get("shop").getQuota().getCpuMillis())
                .isEqualTo(500L * s1.getReplicas());

        Explanation e =
                admin.apps()
                        .explainApp(
                                ExplainAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("web")
                                        .build());
        Map<String, EffectiveSpec> byCluster =
                e.getClustersList().stream()
                        .collect(
                                Collectors.toMap(
                                        ClusterDecision::getCluster,
                                        ClusterDecision::getEffective));
        assertThat(byCluster).containsOnlyKeys("bj-1", "bj-2", "sh-1");
        assertThat(byCluster.get("bj-1").getAppliedOverridesList()).containsExactly("bj-registry");
        assertThat(byCluster.get("bj-2").getAppliedOverridesList())
                .containsExactly("bj-registry", "bj-2-mirror");
        assertThat(byCluster.get("sh-1").getAppliedOverridesList()).isEmpty();
        assertThat(byCluster.get("bj-1").getReplicasFloor()).isEqualTo(3);
        assertThat(byCluster.get("sh-1").getReplicasFloor()).isZero();
        for (ProtocolAgent a : List.of(bj1, bj2, sh1)) {
            Workload w = a.workloads.get("shop/web");
            EffectiveSpec eff = byCluster.get(a.cluster);
            assertThat(eff.getImage()).as(a.cluster).isEqualTo(w.getImage());
            assertThat(eff.getResources().getCpuMillis())
                    .as(a.cluster)
                    .isEqualTo(w.getResources().getCpuMillis());
            assertThat(eff.getResources().getMemoryMib())
                    .as(a.cluster)
                    .isEqualTo(w.getResources().getMemoryMib());
            assertThat(eff.getEnvList()).as(a.cluster).isEqualTo(w.getEnvList());
            assertThat(eff.getLabelsMap()).as(a.cluster).isEqualTo(w.getLabelsMap());
            assertThat(eff.getAnnotationsMap()).as(a.cluster).isEqualTo(w.getAnnotationsMap());

            GetEffectiveSpecResponse one =
                    admin.apps()
                            .getEffectiveSpec(
                                    GetEffectiveSpecRequest.newBuilder()
                                            .setTenant("shop")
                                            .setName("web")
                                            .setCluster(a.cluster)
                                            .build());
            assertThat(one.getCluster()).isEqualTo(a.cluster);
            assertThat(one.getGeneration()).isEqualTo(1);
            assertThat(one.getEffective()).as(a.cluster).isEqualTo(eff);
        }

        // A viewer of another tenant may not read it; a viewer of this one may.
        Stubs otherViewer = viewer("other");
        assertThatThrownBy(
                        () ->
                                otherViewer
                                        .apps()
                                        .getEffectiveSpec(
                                                GetEffectiveSpecRequest.newBuilder()
                                                        .setTenant("shop")
                                                        .setName("web")
                                                        .setCluster("bj-1")
                                                        .build()))
                .satisfies(
                        x ->
                                assertThat(Status.fromThrowable(x).getCode())
                                        .isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(
                        viewer("shop")
                                .apps()
                                .getEffectiveSpec(
                                        GetEffectiveSpecRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .setCluster("bj-2")
                                                .build())
                                .getEffective())
                .isEqualTo(byCluster.get("bj-2"));
    }

    private Stubs viewer(String tenant) {
        if (tenant.equals("other")) {
            admin.tenants()
                    .createTenant(
                            CreateTenantRequest.newBuilder().setTenant(aTenant("other")).build());
        }
        String secret =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(Role.TENANT_VIEWER)
                                        .setTenant(tenant)
                                        .build())
                        .getSecret();
        return Stubs.of(cp.channel(), secret);
    }

    @Test
    @DisplayName(
            "an override-only change moves the generation and reaches the matching agents without a new revision; a refused one changes nothing")
    void overrideChangeReachesAgents() throws Exception {
        App created =
                admin.apps()
                        .createApp(
                                CreateAppRequest.newBuilder()
                                        .setApp(
                                                App.newBuilder()
                                                        .setTenant("shop")
                                                        .setName("web")
                                                        .setSpec(spec("checkout")))
                                        .build());
        awaitWorkloads();
        long shGeneration = sh1.workloads.get("shop/web").getAppGeneration();

        App updated =
                admin.apps()
                        .updateApp(
                                UpdateAppRequest.newBuilder()
                                        .setApp(
                                                App.newBuilder()
                                                        .setTenant("shop")
                                                        .setName("web")
                                                        .setResourceVersion(
                                                                created.getResourceVersion())
                                                        .setSpec(spec("checkout-v2")))
                                        .build());
        assertThat(updated.getGeneration()).isEqualTo(created.getGeneration() + 1);

        bj1.applyUntil(
                () ->
                        "checkout-v2"
                                .equals(bj1.workloads.get("shop/web").getLabelsMap().get("team")),
                WAIT);
        sh1.applyUntil(() -> sh1.workloads.get("shop/web").getAppGeneration() > shGeneration, WAIT);
        assertThat(sh1.workloads.get("shop/web").getLabelsMap()).isEmpty();
        assertThat(bj2.workloads.get("shop/web").getLabelsMap().get("team"))
                .as("bj-2's later override still wins there")
                .isIn("payments");
        assertThat(
                        ControlPlaneHarness.withToken(
                                        AppRevisionServiceGrpc.newBlockingStub(cp.channel()),
                                        ControlPlaneHarness.ADMIN_TOKEN)
                                .listAppRevisions(
                                        ListAppRevisionsRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .build())
                                .getRevisionsList())
                .as("overrides are per cluster: the pod template, and so the revision, stays")
                .hasSize(1);

        AppSpec bad =
                spec("x")
                        .addOverrides(
                                ClusterOverride.newBuilder()
                                        .setName("bad")
                                        .setSelector(byLabel("idc", "sh"))
                                        .setImageRegistry("no host"))
                        .build();
        assertThatThrownBy(
                        () ->
                                admin.apps()
                                        .updateApp(
                                                UpdateAppRequest.newBuilder()
                                                        .setApp(
                                                                App.newBuilder()
                                                                        .setTenant("shop")
                                                                        .setName("web")
                                                                        .setSpec(bad))
                                                        .build()))
                .satisfies(
                        x -> {
                            assertThat(Status.fromThrowable(x).getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(Status.fromThrowable(x).getDescription())
                                    .contains("app.spec.overrides[2].image_registry");
                        });
        App after =
                admin.apps()
                        .getApp(
                                GetAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("web")
                                        .build());
        assertThat(after.getGeneration()).isEqualTo(updated.getGeneration());
        assertThat(after.getSpec()).isEqualTo(updated.getSpec());
    }

    @Test
    @DisplayName(
            "relabelling a cluster into an override's selector sends its agent the overridden workload")
    void relabelledClusterFollowsItsLabels() throws Exception {
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .setSpec(spec("checkout")))
                                .build());
        awaitWorkloads();
        assertThat(sh1.workloads.get("shop/web").getImage()).isEqualTo("registry.example/web:1.0");

        Cluster sh =
                admin.clusters().getCluster(GetClusterRequest.newBuilder().setName("sh-1").build());
        admin.clusters()
                .updateCluster(
                        UpdateClusterRequest.newBuilder()
                                .setCluster(sh.toBuilder().putLabels("idc", "bj"))
                                .build());

        sh1.applyUntil(
                () -> {
                    Workload w = sh1.workloads.get("shop/web");
                    return w != null && w.getImage().equals("harbor.bj.example/web:1.0");
                },
                WAIT);
        Workload w = sh1.workloads.get("shop/web");
        assertThat(w.getResources().getCpuMillis()).isEqualTo(250);
        assertThat(w.getLabelsMap()).isEqualTo(Map.of("team", "checkout"));
        assertThat(
                        admin.apps()
                                .getEffectiveSpec(
                                        GetEffectiveSpecRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .setCluster("sh-1")
                                                .build())
                                .getEffective()
                                .getAppliedOverridesList())
                .containsExactly("bj-registry");
    }

    @Test
    @DisplayName(
            "replicas a lost cluster held move with the app, and each cluster that takes them runs its own effective spec")
    void failoverKeepsEachClustersOverrides() throws Exception {
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .setSpec(spec("checkout")))
                                .build());
        awaitWorkloads();
        int before = bj2.replicasOf("shop/web") + sh1.replicasOf("shop/web");

        bj1.disconnect();

        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> {
                            bj2.applyUntilQuiet(Duration.ofMillis(200));
                            sh1.applyUntilQuiet(Duration.ofMillis(200));
                            return bj2.replicasOf("shop/web") + sh1.replicasOf("shop/web") == 8;
                        });
        assertThat(bj2.replicasOf("shop/web")).as("bj-2's floor").isGreaterThanOrEqualTo(3);
        assertThat(bj2.replicasOf("shop/web") + sh1.replicasOf("shop/web")).isGreaterThan(before);
        assertThat(bj2.workloads.get("shop/web").getImage())
                .isEqualTo("mirror.bj2.example/cache/web:1.0");
        assertThat(bj2.workloads.get("shop/web").getResources().getCpuMillis()).isEqualTo(250);
        assertThat(sh1.workloads.get("shop/web").getImage()).isEqualTo("registry.example/web:1.0");
        assertThat(sh1.workloads.get("shop/web").getResources().getCpuMillis()).isEqualTo(500);
        assertThat(sh1.workloads.get("shop/web").getLabelsMap()).isEmpty();
    }
}
