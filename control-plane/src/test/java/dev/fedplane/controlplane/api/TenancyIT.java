package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.Fixtures;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.CrossTenantRule;
import dev.fedplane.proto.v1.EgressRule;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.GetTenantUsageRequest;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.NetworkRules;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TenantNamespace;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.UpdateAppRequest;
import dev.fedplane.proto.v1.UpdateNetworkRulesRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tenancy across clusters, control-plane side: network rules managed by each tenant's own admins,
 * cross-tenant allows sent only when both sides agree, per-cluster namespace quotas, quota
 * enforcement by the scheduler (DUPLICATED copies, failover) and concurrent scaling.
 */
class TenancyIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
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
                                "fedplane.reconciler.resync-interval", "2s",
                                "fedplane.tenancy.quota-headroom-percent", "25"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        agents.forEach(ProtocolAgent::close);
        cp.close();
    }

    private Stubs tokenOf(Role role, String tenant) {
        String secret =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(role)
                                        .setTenant(tenant)
                                        .build())
                        .getSecret();
        return Stubs.of(cp.channel(), secret);
    }

    private List<ProtocolAgent> readyAgents(int n) {
        String token =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(n)
                                        .setTtlSeconds(600)
                                        .build())
                        .getSecret();
        List<ProtocolAgent> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ProtocolAgent a = new ProtocolAgent(cp.channel(), "c-" + i);
            agents.add(a);
            a.register(token, Map.of("tier", "idc"), ProtocolAgent.capacity(32000, 131072, 110));
            a.connect();
            out.add(a);
        }
        for (ProtocolAgent a : out) {
            await().atMost(WAIT)
                    .until(
                            () ->
                                    admin.clusters()
                                                    .getCluster(
                                                            GetClusterRequest.newBuilder()
                                                                    .setName(a.cluster)
                                                                    .build())
                                                    .getState()
                                            == ClusterState.READY);
        }
        return out;
    }

    private App app(String tenant, String name) {
        return admin.apps()
                .getApp(GetAppRequest.newBuilder().setTenant(tenant).setName(name).build());
    }

    private static Map<String, Integer> desired(App a) {
        Map<String, Integer> m = new HashMap<>();
        for (ClusterReplicas r : a.getStatus().getClustersList()) {
            m.put(r.getCluster(), r.getDesired());
        }
        return m;
    }

    private static int total(App a) {
        return desired(a).values().stream().mapToInt(Integer::intValue).sum();
    }

    private static NetworkRules.Builder egressTo(String cidr, int port) {
        return NetworkRules.newBuilder()
                .addEgress(EgressRule.newBuilder().setCidr(cidr).setPort(port).setProtocol("TCP"));
    }

    private static CrossTenantRule side(
            CrossTenantRule.Direction d, String peer, String app, int port) {
        return CrossTenantRule.newBuilder()
                .setDirection(d)
                .setPeerTenant(peer)
                .setApp(app)
                .setPort(port)
                .build();
    }

    @Test
    @DisplayName(
            "a tenant's own admin manages its network rules; bad rules name the field; others may not; it is audited")
    void networkRulesApi() {
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("alpha")).build());
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("beta")).build());
        Stubs alphaAdmin = tokenOf(Role.TENANT_ADMIN, "alpha");
        Stubs alphaViewer = tokenOf(Role.TENANT_VIEWER, "alpha");
        Stubs betaAdmin = tokenOf(Role.TENANT_ADMIN, "beta");

        var updated =
                alphaAdmin
                        .tenants()
                        .updateNetworkRules(
                                UpdateNetworkRulesRequest.newBuilder()
                                        .setTenant("alpha")
                                        .setNetwork(egressTo("10.0.32.0/24", 5978))
                                        .build());
        assertThat(updated.getNetwork().getEgressList())
                .extracting(EgressRule::getCidr)
                .containsExactly("10.0.32.0/24");

        record Bad(NetworkRules rules, Status.Code code, String field) {}
        List<Bad> bad =
                List.of(
                        new Bad(
                                egressTo("10.0.32.0/33", 5978).build(),
                                Status.Code.INVALID_ARGUMENT,
                                "network.egress[0].cidr"),
                        new Bad(
                                egressTo("10.0.32.1/24", 5978).build(),
                                Status.Code.INVALID_ARGUMENT,
                                "network.egress[0].cidr"),
                        new Bad(
                                egressTo("10.0.32.0/24", 70000).build(),
                                Status.Code.INVALID_ARGUMENT,
                                "network.egress[0].port"),
                        new Bad(
                                NetworkRules.newBuilder()
                                        .addCrossTenant(
                                                side(
                                                        CrossTenantRule.Direction.EGRESS,
                                                        "nobody",
                                                        "db",
                                                        5432))
                                        .build(),
                                Status.Code.NOT_FOUND,
                                "network.cross_tenant[0].peer_tenant"),
                        new Bad(
                                NetworkRules.newBuilder()
                                        .addCrossTenant(
                                                side(
                                                        CrossTenantRule.Direction.EGRESS,
                                                        "beta",
                                                        "db",
                                                        0))
                                        .build(),
                                Status.Code.INVALID_ARGUMENT,
                                "network.cross_tenant[0].port"));
        for (Bad b : bad) {
            assertThatThrownBy(
                            () ->
                                    alphaAdmin
                                            .tenants()
                                            .updateNetworkRules(
                                                    UpdateNetworkRulesRequest.newBuilder()
                                                            .setTenant("alpha")
                                                            .setNetwork(b.rules())
                                                            .build()))
                    .satisfies(
                            e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(b.code()))
                    .hasMessageContaining(b.field());
        }
        assertThatThrownBy(
                        () ->
                                alphaViewer
                                        .tenants()
                                        .updateNetworkRules(
                                                UpdateNetworkRulesRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .setNetwork(egressTo("10.0.0.0/8", 0))
                                                        .build()))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(
                        () ->
                                betaAdmin
                                        .tenants()
                                        .updateNetworkRules(
                                                UpdateNetworkRulesRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .setNetwork(egressTo("10.0.0.0/8", 0))
                                                        .build()))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.PERMISSION_DENIED));
        // Refused calls left the rules as they were.
        assertThat(
                        admin.tenants()
                                .getTenant(
                                        dev.fedplane.proto.v1.GetTenantRequest.newBuilder()
                                                .setName("alpha")
                                                .build())
                                .getNetwork()
                                .getEgressList())
                .extracting(EgressRule::getCidr)
                .containsExactly("10.0.32.0/24");
        assertThat(
                        admin.audit()
                                .listAuditEvents(
                                        ListAuditEventsRequest.newBuilder()
                                                .setTenant("alpha")
                                                .build())
                                .getEventsList())
                .anySatisfy(e -> assertThat(e.getMethod()).endsWith("UpdateNetworkRules"));
    }

    @Test
    @DisplayName(
            "namespaces carry the tenant's per-cluster quota plus headroom, its egress list, and cross-tenant allows only once both sides agree")
    void namespacesCarryQuotaAndAgreedRules() throws Exception {
        ProtocolAgent a = readyAgents(1).get(0);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("alpha")).build());
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("beta")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("alpha", "web", 2)).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("beta", "db", 1)).build());
        Stubs alphaAdmin = tokenOf(Role.TENANT_ADMIN, "alpha");
        Stubs betaAdmin = tokenOf(Role.TENANT_ADMIN, "beta");
        alphaAdmin
                .tenants()
                .updateNetworkRules(
                        UpdateNetworkRulesRequest.newBuilder()
                                .setTenant("alpha")
                                .setNetwork(
                                        egressTo("10.0.32.0/24", 5978)
                                                .addCrossTenant(
                                                        side(
                                                                CrossTenantRule.Direction.EGRESS,
                                                                "beta",
                                                                "db",
                                                                5432)))
                                .build());

        a.applyUntil(
                () ->
                        a.namespaces.containsKey("alpha")
                                && a.namespaces.containsKey("beta")
                                && a.namespaces.get("alpha").getNetwork().getEgressCount() == 1,
                WAIT);
        TenantNamespace alpha = a.namespaces.get("alpha");
        // 2 replicas of 500m / 512 MiB, plus 25%: 1250m, 1280 MiB, 3 pods.
        assertThat(alpha.getQuota().getCpuMillis()).isEqualTo(1250);
        assertThat(alpha.getQuota().getMemoryMib()).isEqualTo(1280);
        assertThat(alpha.getQuota().getPods()).isEqualTo(3);
        assertThat(alpha.getLabelsMap()).containsEntry("team", "alpha");
        assertThat(alpha.getNetwork().getEgress(0).getCidr()).isEqualTo("10.0.32.0/24");
        assertThat(alpha.getNetwork().getCrossTenantList())
                .as("one side alone allows nothing")
                .isEmpty();
        assertThat(a.namespaces.get("beta").getNetwork().getCrossTenantList()).isEmpty();

        betaAdmin
                .tenants()
                .updateNetworkRules(
                        UpdateNetworkRulesRequest.newBuilder()
                                .setTenant("beta")
                                .setNetwork(
                                        NetworkRules.newBuilder()
                                                .addCrossTenant(
                                                        side(
                                                                CrossTenantRule.Direction.INGRESS,
                                                                "alpha",
                                                                "db",
                                                                5432)))
                                .build());
        a.applyUntil(
                () ->
                        a.namespaces.get("alpha").getNetwork().getCrossTenantCount() == 1
                                && a.namespaces.get("beta").getNetwork().getCrossTenantCount() == 1,
                WAIT);
        assertThat(a.namespaces.get("alpha").getNetwork().getCrossTenant(0))
                .isEqualTo(side(CrossTenantRule.Direction.EGRESS, "beta", "db", 5432));
        assertThat(a.namespaces.get("beta").getNetwork().getCrossTenant(0))
                .isEqualTo(side(CrossTenantRule.Direction.INGRESS, "alpha", "db", 5432));

        // Beta withdraws: the allow disappears from both sides.
        betaAdmin
                .tenants()
                .updateNetworkRules(
                        UpdateNetworkRulesRequest.newBuilder()
                                .setTenant("beta")
                                .setNetwork(NetworkRules.getDefaultInstance())
                                .build());
        a.applyUntil(
                () ->
                        a.namespaces.get("alpha").getNetwork().getCrossTenantCount() == 0
                                && a.namespaces.get("beta").getNetwork().getCrossTenantCount() == 0,
                WAIT);
    }

    @Test
    @DisplayName(
            "a DUPLICATED app counts replicas times clusters against the quota: copies beyond it are unschedulable with the reason")
    void duplicatedAccounting() {
        readyAgents(4);
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("alpha", 100000, 102400, 6))
                                .build());
        AppSpec.Builder spec = Fixtures.aSpec(2);
        spec.getPlacementBuilder()
                .getReplicaSchedulingBuilder()
                .setType(ReplicaScheduling.Type.DUPLICATED);
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(anApp("alpha", "agent", 2).setSpec(spec))
                                .build());
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            App a = app("alpha", "agent");
                            assertThat(desired(a))
                                    .hasSize(3)
                                    .allSatisfy((c, n) -> assertThat(n).isEqualTo(2));
                            assertThat(a.getStatus().getUnschedulableReason()).contains("quota");
                        });
        var usage =
                admin.capacity()
                        .getTenantUsage(
                                GetTenantUsageRequest.newBuilder().setTenant("alpha").build());
        assertThat(usage.getClustersList())
                .hasSize(3)
                .allSatisfy(c -> assertThat(c.getReplicas()).isEqualTo(2));
    }

    @Test
    @DisplayName("failover under a tight quota never places more than the quota allows")
    void failoverUnderTightQuota() throws Exception {
        List<ProtocolAgent> live = readyAgents(3);
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("alpha", 100000, 102400, 4))
                                .build());
        AppSpec.Builder spec = Fixtures.aSpec(2);
        spec.getPlacementBuilder()
                .getReplicaSchedulingBuilder()
                .setType(ReplicaScheduling.Type.DUPLICATED);
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("alpha", "web", 1)).build());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(total(app("alpha", "web"))).isEqualTo(1));
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(anApp("alpha", "agent", 2).setSpec(spec))
                                .build());
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(total(app("alpha", "web"))).isEqualTo(1);
                            assertThat(total(app("alpha", "agent")))
                                    .isEqualTo(2); // one copy: 2 + 1 + 2 would pass 4
                        });
        String victim = desired(app("alpha", "agent")).keySet().iterator().next();
        live.stream().filter(a -> a.cluster.equals(victim)).findFirst().orElseThrow().disconnect();
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean moved = false;
        while (System.nanoTime() < deadline && !moved) {
            App agent = app("alpha", "agent");
            App web = app("alpha", "web");
            assertThat(total(agent) + total(web)).isLessThanOrEqualTo(4);
            moved =
                    !desired(agent).containsKey(victim)
                            && total(agent) == 2
                            && !desired(web).containsKey(victim)
                            && total(web) == 1;
            Thread.sleep(50);
        }
        assertThat(moved).as("the lost cluster's replicas moved").isTrue();
    }

    @Test
    @DisplayName(
            "concurrent scale calls of one tenant from several threads never overshoot its quota")
    void concurrentScales() throws Exception {
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("alpha", 100000, 102400, 20))
                                .build());
        for (int i = 0; i < 4; i++) {
            admin.apps()
                    .createApp(
                            CreateAppRequest.newBuilder()
                                    .setApp(anApp("alpha", "app-" + i, 1))
                                    .build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(9);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(
                    pool.submit(
                            () -> {
                                for (int k = 0; k < 25; k++) {
                                    int i = ThreadLocalRandom.current().nextInt(4);
                                    int n = ThreadLocalRandom.current().nextInt(1, 10);
                                    try {
                                        admin.apps()
                                                .scaleApp(
                                                        ScaleAppRequest.newBuilder()
                                                                .setTenant("alpha")
                                                                .setName("app-" + i)
                                                                .setReplicas(n)
                                                                .build());
                                    } catch (io.grpc.StatusRuntimeException e) {
                                        assertThat(e.getStatus().getCode())
                                                .as(e.getStatus().toString())
                                                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                                        assertThat(e.getStatus().getDescription())
                                                .contains("used")
                                                .contains("requested")
                                                .contains("limit");
                                    }
                                }
                            }));
        }
        // Meanwhile image changes with a precondition: a scale without one must keep them (it
        // changes the replicas of the app as it is under the tenant's lock, not as it was read
        // before).
        String[] lastImage = new String[4];
        futures.add(
                pool.submit(
                        () -> {
                            for (int k = 0; k < 25; k++) {
                                int i = ThreadLocalRandom.current().nextInt(4);
                                App now = app("alpha", "app-" + i);
                                String image = "registry.example/app-" + i + ":v" + k;
                                try {
                                    admin.apps()
                                            .updateApp(
                                                    UpdateAppRequest.newBuilder()
                                                            .setApp(
                                                                    now.toBuilder()
                                                                            .setSpec(
                                                                                    now
                                                                                            .getSpec()
                                                                                            .toBuilder()
                                                                                            .setImage(
                                                                                                    image)))
                                                            .build());
                                    lastImage[i] = image;
                                } catch (io.grpc.StatusRuntimeException e) {
                                    assertThat(e.getStatus().getCode())
                                            .as(e.getStatus().toString())
                                            .isEqualTo(Status.Code.ABORTED);
                                }
                            }
                        }));
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int sum = 0;
        for (int i = 0; i < 4; i++) {
            App a = app("alpha", "app-" + i);
            sum += a.getSpec().getReplicas();
            if (lastImage[i] != null) {
                assertThat(a.getSpec().getImage()).as("app-" + i).isEqualTo(lastImage[i]);
            }
        }
        assertThat(sum).isLessThanOrEqualTo(20);
        var store = cp.context().getBean(dev.fedplane.controlplane.app.AppStore.class);
        assertThat(store.usageOf("alpha")).isEqualTo(store.summedUsageOf("alpha"));
        assertThat(store.usageOf("alpha").replicas()).isEqualTo(sum);
    }

    @Test
    @DisplayName(
            "a per-cluster cap holds the tenant's replicas there; the rest go elsewhere and the namespace quota never passes the cap")
    void perClusterCap() throws Exception {
        List<ProtocolAgent> two = readyAgents(2);
        var tenant = aTenant("alpha");
        tenant.getQuotaBuilder()
                .addPerCluster(
                        dev.fedplane.proto.v1.ClusterQuota.newBuilder()
                                .setCluster("c-1")
                                .setReplicas(2));
        admin.tenants().createTenant(CreateTenantRequest.newBuilder().setTenant(tenant).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("alpha", "web", 6)).build());
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(desired(app("alpha", "web")))
                                        .isEqualTo(Map.of("c-1", 2, "c-2", 4)));
        ProtocolAgent c1 = two.get(0);
        c1.applyUntil(() -> c1.replicasOf("alpha/web") == 2, WAIT);
        // 2 pods + 25% would be 3; the cap keeps the ResourceQuota at 2.
        assertThat(c1.namespaces.get("alpha").getQuota().getPods()).isEqualTo(2);
    }
}
