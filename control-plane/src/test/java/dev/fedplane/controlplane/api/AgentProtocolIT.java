package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.ha.LeaderEpochs;
import dev.fedplane.controlplane.reconcile.ReconcileStore;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.CordonClusterRequest;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.DeleteAppRequest;
import dev.fedplane.proto.v1.DrainClusterRequest;
import dev.fedplane.proto.v1.ExplainAppRequest;
import dev.fedplane.proto.v1.Explanation;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.ListTokensRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.Token;
import dev.fedplane.proto.v1.TokenKind;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The agent protocol against a real control plane (H2) over a real gRPC channel, with agents driven
 * message by message: registration, streams, desired state, acks, status, health and failover.
 * Heartbeats every second and LOST after three keep it quick.
 */
class AgentProtocolIT {
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
                                "fedplane.health.lost-after", "5s",
                                "fedplane.health.check-interval", "200ms",
                                "fedplane.reconciler.resync-interval", "2s",
                                "fedplane.agent.retry-after-failure", "200ms",
                                "fedplane.reconciler.failback-window", "2s"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        agents.forEach(ProtocolAgent::close);
        cp.close();
    }

    private String bootstrapToken(int uses, long ttlSeconds) {
        return admin.tokens()
                .createToken(
                        CreateTokenRequest.newBuilder()
                                .setKind(TokenKind.BOOTSTRAP)
                                .setMaxUses(uses)
                                .setTtlSeconds(ttlSeconds)
                                .setDescription("test agents")
                                .build())
                .getSecret();
    }

    private ProtocolAgent agent(String name, String token, String tier) {
        ProtocolAgent a = new ProtocolAgent(cp.channel(), name);
        agents.add(a);
        a.register(
                token,
                Map.of("region", "east", "tier", tier),
                ProtocolAgent.capacity(8000, 32768, 110));
        return a;
    }

    /** Registered, connected, heartbeating and READY. */
    private ProtocolAgent readyAgent(String name, String token) throws InterruptedException {
        ProtocolAgent a = agent(name, token, "idc");
        a.connect();
        await().atMost(WAIT).until(() -> clusterState(name) == ClusterState.READY);
        return a;
    }

    private ClusterState clusterState(String name) {
        return admin.clusters()
                .getCluster(GetClusterRequest.newBuilder().setName(name).build())
                .getState();
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

    @Test
    @DisplayName(
            "registration gives a credential, is idempotent with it, and spends one bootstrap use only when it succeeds")
    void registration() {
        String token = bootstrapToken(1, 3600);

        assertThatThrownBy(() -> agent("Bad_Name", token, "idc"))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("cluster_name");
        ProtocolAgent a = agent("idc-a-1", token, "idc");
        assertThat(a.credential()).isNotEmpty();
        assertThat(clusterState("idc-a-1")).isEqualTo(ClusterState.PENDING);

        RegisterResponse again =
                a.register(a.credential(), Map.of(), ProtocolAgent.capacity(8000, 32768, 110));
        assertThat(again.getCredential()).isEmpty();
        assertThat(again.getHeartbeatIntervalSeconds()).isEqualTo(1);

        Token t =
                admin
                        .tokens()
                        .listTokens(ListTokensRequest.newBuilder().build())
                        .getTokensList()
                        .stream()
                        .filter(x -> x.getKind() == TokenKind.BOOTSTRAP)
                        .findFirst()
                        .orElseThrow();
        assertThat(t.getUses()).isEqualTo(1);
        assertThatThrownBy(() -> agent("idc-a-2", token, "idc"))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.UNAUTHENTICATED))
                .hasMessageContaining("used up");
        assertThatThrownBy(() -> agent("idc-a-3", ControlPlaneHarness.ADMIN_TOKEN, "idc"))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.UNAUTHENTICATED));
        String other = bootstrapToken(2, 3600);
        assertThatThrownBy(() -> agent("idc-a-1", other, "idc"))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.ALREADY_EXISTS));
    }

    @Test
    @DisplayName(
            "a registration with bad fields is INVALID_ARGUMENT naming each field and spends no bootstrap use")
    void registrationValidation() {
        String token = bootstrapToken(1, 3600);
        var stub =
                ControlPlaneHarness.withToken(
                        dev.fedplane.proto.v1.AgentServiceGrpc.newBlockingStub(cp.channel()),
                        token);
        record Bad(dev.fedplane.proto.v1.RegisterRequest request, String field) {}
        var ok =
                dev.fedplane.proto.v1.RegisterRequest.newBuilder()
                        .setClusterName("idc-a-1")
                        .setCapacity(ProtocolAgent.capacity(8000, 32768, 110));
        List<Bad> bad =
                List.of(
                        new Bad(ok.clone().setClusterName("").build(), "cluster_name"),
                        new Bad(ok.clone().putLabels("tier", "edge").build(), "labels[tier]"),
                        new Bad(
                                ok.clone()
                                        .addTaints(
                                                dev.fedplane.proto.v1.Taint.newBuilder()
                                                        .setKey("gpu")
                                                        .setEffect("Never"))
                                        .build(),
                                "taints[0].effect"),
                        new Bad(
                                ok.clone()
                                        .setCapacity(ProtocolAgent.capacity(-1, 32768, 110))
                                        .build(),
                                "capacity.allocatable.cpu_millis"),
                        new Bad(ok.clone().setCostPerCpuHour(-0.5).build(), "cost_per_cpu_hour"));
        for (Bad b : bad) {
            assertThatThrownBy(() -> stub.register(b.request()))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining(b.field());
        }
        assertThat(stub.register(ok.build()).getCredential())
                .isNotEmpty(); // the one use was still there
    }

    @Test
    @DisplayName("an expired bootstrap token is refused")
    void expiredToken() throws InterruptedException {
        String token = bootstrapToken(1, 1);
        Thread.sleep(1100); // the token's whole life is one second
        assertThatThrownBy(() -> agent("idc-a-1", token, "idc"))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.UNAUTHENTICATED))
                .hasMessageContaining("expired");
    }

    @Test
    @DisplayName("a stream without a valid credential ends UNAUTHENTICATED")
    void badCredential() {
        ProtocolAgent a = new ProtocolAgent(cp.channel(), "ghost");
        a.useCredential("clu-000000000000.nope");
        a.connect();
        await().atMost(WAIT).until(() -> a.closedWith != null);
        assertThat(a.closedWith.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    @DisplayName(
            "an app reaches the agents as full state then deltas; acks, status reports and ExplainApp follow")
    void desiredStateFlow() throws Exception {
        String token = bootstrapToken(2, 3600);
        ProtocolAgent a = readyAgent("idc-a-1", token);
        ProtocolAgent b = readyAgent("idc-a-2", token);
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("shop", 100000, 102400, 100))
                                .build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 4)).build());

        ControlMessage first = a.next(WAIT);
        assertThat(first.hasFull()).isTrue(); // the first message of a stream is the full state
        assertThat(first.getEpoch()).isPositive();
        a.apply(first);
        a.applyUntil(() -> a.replicasOf("shop/web") == 2, WAIT);
        b.applyUntil(() -> b.replicasOf("shop/web") == 2, WAIT);
        assertThat(a.namespaces).containsKey("shop");
        assertThat(a.namespaces.get("shop").getLabelsMap()).containsEntry("team", "shop");
        assertThat(a.replicasOf("shop/web") + b.replicasOf("shop/web")).isEqualTo(4);
        assertThat(a.workloads.get("shop/web").getImage()).isEqualTo("registry.example/web:1.0");
        assertThat(a.workloads.get("shop/web").getResources().getCpuMillis()).isEqualTo(500);

        long before = a.appliedGeneration;
        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .setReplicas(6)
                                .build());
        ControlMessage change = a.next(WAIT);
        assertThat(change.hasDelta())
                .isTrue(); // one generation ahead of what the agent applied: a delta
        assertThat(change.getGeneration()).isEqualTo(before + 1);
        a.apply(change);
        b.applyUntil(() -> b.replicasOf("shop/web") == 3, WAIT);
        assertThat(a.replicasOf("shop/web") + b.replicasOf("shop/web")).isEqualTo(6);

        a.reportAllReady();
        b.reportAllReady();
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            App app = app("shop", "web");
                            assertThat(app.getStatus().getObservedGeneration()).isEqualTo(2);
                            assertThat(app.getStatus().getClustersList())
                                    .allSatisfy(
                                            r ->
                                                    assertThat(r.getReady())
                                                            .isEqualTo(r.getDesired()));
                            assertThat(app.getStatus().getConditionsList())
                                    .anySatisfy(
                                            c -> {
                                                assertThat(c.getType()).isEqualTo("Available");
                                                assertThat(c.getStatus()).isEqualTo("True");
                                            });
                        });
        Explanation e =
                admin.apps()
                        .explainApp(
                                ExplainAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("web")
                                        .build());
        assertThat(e.getPlacementsList())
                .extracting(p -> p.getDesired())
                .containsExactlyInAnyOrder(3, 3);

        admin.apps()
                .deleteApp(DeleteAppRequest.newBuilder().setTenant("shop").setName("web").build());
        a.applyUntil(() -> a.workloads.isEmpty() && a.namespaces.isEmpty(), WAIT);
        b.applyUntil(() -> b.workloads.isEmpty() && b.namespaces.isEmpty(), WAIT);
    }

    @Test
    @DisplayName(
            "an agent that applied the current generation is sent nothing on reconnect; a second stream replaces the first")
    void reconnect() throws Exception {
        String token = bootstrapToken(1, 3600);
        ProtocolAgent a = readyAgent("idc-a-1", token);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 2)).build());
        a.applyUntil(() -> a.replicasOf("shop/web") == 2, WAIT);
        a.applyUntilQuiet(Duration.ofMillis(500));

        ProtocolAgent same = new ProtocolAgent(cp.channel(), "idc-a-1");
        agents.add(same);
        same.useCredential(a.credential());
        same.appliedGeneration = a.appliedGeneration;
        same.seenEpoch = a.seenEpoch;
        same.connect();
        await().atMost(WAIT).until(() -> a.closedWith != null);
        assertThat(a.closedWith.getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(same.received.poll(1, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    }

    @Test
    @DisplayName(
            "a silent cluster goes NOT_READY keeping its replicas, then LOST, and its replicas move; back, it is told to run nothing")
    void failover() throws Exception {
        String token = bootstrapToken(2, 3600);
        ProtocolAgent a = readyAgent("idc-a-1", token);
        ProtocolAgent b = readyAgent("idc-a-2", token);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 4)).build());
        a.applyUntil(() -> a.replicasOf("shop/web") == 2, WAIT);
        b.applyUntil(() -> b.replicasOf("shop/web") == 2, WAIT);

        a.disconnect(); // a dies; b keeps beating
        await().atMost(WAIT).until(() -> clusterState("idc-a-1") == ClusterState.NOT_READY);
        assertThat(desired(app("shop", "web"))).containsEntry("idc-a-1", 2);
        await().atMost(WAIT).until(() -> clusterState("idc-a-1") == ClusterState.LOST);
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(desired(app("shop", "web")))
                                        .isEqualTo(Map.of("idc-a-2", 4)));
        b.applyUntil(() -> b.replicasOf("shop/web") == 4, WAIT);

        a.connect();
        ControlMessage back = a.next(WAIT);
        assertThat(back.hasFull()).isTrue();
        a.apply(back);
        assertThat(a.workloads).isEmpty();
        await().atMost(WAIT).until(() -> clusterState("idc-a-1") == ClusterState.READY);
    }

    @Test
    @DisplayName(
            "a failover storm spreads: one pass's decisions see the capacity earlier ones took")
    void stormSpreads() throws Exception {
        String token = bootstrapToken(3, 3600);
        ProtocolAgent big = readyAgent("idc-a-1", token);
        ProtocolAgent b = readyAgent("idc-a-2", token);
        ProtocolAgent c = readyAgent("idc-a-3", token);
        // b and c fit 8 replicas of 1 CPU each; big fits 16.
        big.capacity = ProtocolAgent.capacity(16000, 65536, 110);
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                admin.clusters()
                                                        .getCluster(
                                                                GetClusterRequest.newBuilder()
                                                                        .setName("idc-a-1")
                                                                        .build())
                                                        .getCapacity()
                                                        .getAllocatable()
                                                        .getCpuMillis())
                                        .isEqualTo(16000));
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        // With b and c cordoned, 12 one-CPU apps land on the big cluster.
        admin.clusters()
                .cordonCluster(CordonClusterRequest.newBuilder().setName("idc-a-2").build());
        admin.clusters()
                .cordonCluster(CordonClusterRequest.newBuilder().setName("idc-a-3").build());
        for (int i = 0; i < 12; i++) {
            admin.apps()
                    .createApp(
                            CreateAppRequest.newBuilder()
                                    .setApp(
                                            anApp("shop", "app-" + i, 1)
                                                    .setSpec(
                                                            dev.fedplane.controlplane.testing
                                                                    .Fixtures.aSpec(1)
                                                                    .setResources(
                                                                            dev.fedplane.proto.v1
                                                                                    .Resources
                                                                                    .newBuilder()
                                                                                    .setCpuMillis(
                                                                                            1000)
                                                                                    .setMemoryMib(
                                                                                            1024))))
                                    .build());
        }
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            for (int i = 0; i < 12; i++) {
                                assertThat(desired(app("shop", "app-" + i)))
                                        .isEqualTo(Map.of("idc-a-1", 1));
                            }
                        });
        admin.clusters()
                .uncordonCluster(
                        dev.fedplane.proto.v1.UncordonClusterRequest.newBuilder()
                                .setName("idc-a-2")
                                .build());
        admin.clusters()
                .uncordonCluster(
                        dev.fedplane.proto.v1.UncordonClusterRequest.newBuilder()
                                .setName("idc-a-3")
                                .build());
        // Drain the big one: all 12 move in one pass; 12 > 8, so they must split between b and c.
        admin.clusters().drainCluster(DrainClusterRequest.newBuilder().setName("idc-a-1").build());
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Map<String, Integer> perCluster = new HashMap<>();
                            for (int i = 0; i < 12; i++) {
                                desired(app("shop", "app-" + i))
                                        .forEach((k, v) -> perCluster.merge(k, v, Integer::sum));
                            }
                            assertThat(perCluster).doesNotContainKey("idc-a-1");
                            assertThat(
                                            perCluster.values().stream()
                                                    .mapToInt(Integer::intValue)
                                                    .sum())
                                    .isEqualTo(12);
                            assertThat(perCluster.get("idc-a-2")).isLessThanOrEqualTo(8);
                            assertThat(perCluster.get("idc-a-3")).isLessThanOrEqualTo(8);
                        });
        await().atMost(WAIT).until(() -> clusterState("idc-a-1") == ClusterState.CORDONED);
    }

    @Test
    @DisplayName("a leader write carrying a superseded epoch is refused and changes nothing")
    void fencing() {
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        App app =
                admin.apps()
                        .createApp(
                                CreateAppRequest.newBuilder()
                                        .setApp(anApp("shop", "web", 2))
                                        .build());
        LeaderEpochs epochs = cp.context().getBean(LeaderEpochs.class);
        long mine = epochs.highest();
        long intruder = epochs.takeNext("another-instance");
        assertThat(intruder).isGreaterThan(mine);
        ReconcileStore store = cp.context().getBean(ReconcileStore.class);
        long id =
                cp.context()
                        .getBean(dev.fedplane.controlplane.app.AppStore.class)
                        .find("shop", "web")
                        .orElseThrow()
                        .id();
        dev.fedplane.controlplane.app.App.Status bogus =
                new dev.fedplane.controlplane.app.App.Status(
                        99, List.of(), List.of(), 7, "from a deposed leader");
        assertThatThrownBy(
                        () ->
                                store.writeApps(
                                        mine,
                                        List.of(new ReconcileStore.AppWrite(id, null, bogus))))
                .isInstanceOf(FedplaneException.class)
                .hasMessageContaining("superseded");
        assertThat(app("shop", "web").getStatus().getUnschedulableReason())
                .isNotEqualTo("from a deposed leader");
        assertThat(app("shop", "web").getResourceVersion()).isEqualTo(app.getResourceVersion());
    }

    @Test
    @DisplayName("an agent that has seen a newer epoch than this leader's is turned away")
    void newerEpochRefused() throws InterruptedException {
        String token = bootstrapToken(1, 3600);
        ProtocolAgent a = agent("idc-a-1", token, "idc");
        a.seenEpoch = Long.MAX_VALUE / 2;
        a.connect();
        await().atMost(WAIT).until(() -> a.closedWith != null);
        assertThat(a.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    @DisplayName(
            "malformed streams end with a clear status: no hello first, a hello for another cluster")
    void malformedStreams() throws Exception {
        String token = bootstrapToken(2, 3600);
        ProtocolAgent a = agent("idc-a-1", token, "idc");
        agent("idc-a-2", token, "idc");

        ProtocolAgent noHello = new ProtocolAgent(cp.channel(), "idc-a-1");
        agents.add(noHello);
        noHello.useCredential(a.credential());
        noHello.connectWithoutHello();
        noHello.send(
                dev.fedplane.proto.v1.AgentMessage.newBuilder()
                        .setAck(
                                dev.fedplane.proto.v1.Ack.newBuilder()
                                        .setGeneration(1)
                                        .setSuccess(true))
                        .build());
        await().atMost(WAIT).until(() -> noHello.closedWith != null);
        assertThat(noHello.closedWith.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(noHello.closedWith.getDescription()).contains("hello");

        ProtocolAgent impostor = new ProtocolAgent(cp.channel(), "idc-a-2");
        agents.add(impostor);
        impostor.useCredential(a.credential()); // idc-a-1's credential, idc-a-2's name
        impostor.connect();
        await().atMost(WAIT).until(() -> impostor.closedWith != null);
        assertThat(impostor.closedWith.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    @DisplayName(
            "heartbeats are answered with the leader's epoch and no state only when the hello asked"
                    + " for it")
    void heartbeatAcks() throws Exception {
        String token = bootstrapToken(2, 3600);
        ProtocolAgent asking = agent("idc-a-1", token, "idc");
        asking.askHeartbeatAcks = true;
        asking.connect();
        ProtocolAgent quiet = agent("idc-a-2", token, "idc");
        quiet.connect();

        List<ControlMessage> acks = new ArrayList<>();
        await().atMost(WAIT)
                .until(
                        () -> {
                            ControlMessage m;
                            while ((m = asking.received.poll()) != null) {
                                if (m.hasHeartbeatAck()) {
                                    acks.add(m);
                                }
                            }
                            return acks.size() >= 3;
                        });
        assertThat(acks)
                .allSatisfy(
                        m -> {
                            assertThat(m.getEpoch()).isPositive();
                            assertThat(m.getGeneration()).isZero();
                            assertThat(m.getHeartbeatAck().getSentUnixMillis()).isPositive();
                        });
        await().atMost(WAIT).until(() -> clusterState("idc-a-2") == ClusterState.READY);
        assertThat(quiet.received).noneMatch(ControlMessage::hasHeartbeatAck);
        assertThat(asking.closedWith).isNull();
        assertThat(quiet.closedWith).isNull();
    }

    @Test
    @DisplayName("a stale ack changes nothing and the stream goes on")
    void staleAck() throws Exception {
        String token = bootstrapToken(1, 3600);
        ProtocolAgent a = readyAgent("idc-a-1", token);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 2)).build());
        a.applyUntil(() -> a.replicasOf("shop/web") == 2, WAIT);
        a.send(
                dev.fedplane.proto.v1.AgentMessage.newBuilder()
                        .setAck(
                                dev.fedplane.proto.v1.Ack.newBuilder()
                                        .setGeneration(a.appliedGeneration + 40)
                                        .setSuccess(true))
                        .build());
        a.send(
                dev.fedplane.proto.v1.AgentMessage.newBuilder()
                        .setAck(
                                dev.fedplane.proto.v1.Ack.newBuilder()
                                        .setGeneration(1)
                                        .setSuccess(false)
                                        .setError("late"))
                        .build());
        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .setReplicas(3)
                                .build());
        a.applyUntil(() -> a.replicasOf("shop/web") == 3, WAIT);
        assertThat(a.closedWith).isNull();
    }

    @Test
    @DisplayName("a failed apply is answered with the full state again")
    void failedApplyResendsFull() throws Exception {
        String token = bootstrapToken(1, 3600);
        ProtocolAgent a = readyAgent("idc-a-1", token);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        a.applyUntilQuiet(Duration.ofMillis(500));
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 2)).build());
        ControlMessage m = a.next(WAIT);
        a.send(
                dev.fedplane.proto.v1.AgentMessage.newBuilder()
                        .setAck(
                                dev.fedplane.proto.v1.Ack.newBuilder()
                                        .setGeneration(m.getGeneration())
                                        .setSuccess(false)
                                        .setError("admission webhook said no"))
                        .build());
        ControlMessage again = a.next(WAIT);
        assertThat(again.hasFull()).isTrue();
        assertThat(again.getGeneration()).isEqualTo(m.getGeneration());
        a.apply(again);
        assertThat(a.replicasOf("shop/web")).isEqualTo(2);
    }

    @Test
    @DisplayName(
            "after a control-plane restart generations resume, nothing is sent twice and the epoch grows")
    void controlPlaneRestart() throws Exception {
        String token = bootstrapToken(1, 3600);
        ProtocolAgent a = readyAgent("idc-a-1", token);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 2)).build());
        a.applyUntil(() -> a.replicasOf("shop/web") == 2, WAIT);
        a.applyUntilQuiet(Duration.ofMillis(500));
        long generation = a.appliedGeneration;
        long epoch = a.seenEpoch;
        a.close();

        cp.restart();
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        ProtocolAgent back = new ProtocolAgent(cp.channel(), "idc-a-1");
        agents.add(back);
        back.useCredential(a.credential());
        back.appliedGeneration = generation;
        back.seenEpoch = epoch;
        back.workloads.putAll(a.workloads);
        back.namespaces.putAll(a.namespaces);
        back.connect();
        // Resyncs run every 2 s here: nothing new may come while the state is unchanged.
        assertThat(back.received.poll(3, java.util.concurrent.TimeUnit.SECONDS)).isNull();

        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .setReplicas(5)
                                .build());
        ControlMessage next = back.next(WAIT);
        assertThat(next.getGeneration()).isEqualTo(generation + 1);
        assertThat(next.hasDelta()).isTrue();
        assertThat(next.getEpoch()).isGreaterThan(epoch);
        back.apply(next);
        assertThat(back.replicasOf("shop/web")).isEqualTo(5);
    }

    @Test
    @DisplayName(
            "with failback on, a recovered cluster gets its share back once it has been READY for the window; without, it does not")
    void failback() throws Exception {
        String token = bootstrapToken(2, 3600);
        ProtocolAgent a = readyAgent("idc-a-1", token);
        ProtocolAgent b = readyAgent("idc-a-2", token);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        var withFailback = dev.fedplane.controlplane.testing.Fixtures.aSpec(4);
        withFailback.getPlacementBuilder().setFailback(true);
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(anApp("shop", "back", 4).setSpec(withFailback))
                                .build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "stay", 4)).build());
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(desired(app("shop", "back")))
                                        .isEqualTo(Map.of("idc-a-1", 2, "idc-a-2", 2)));

        a.disconnect();
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(desired(app("shop", "back")))
                                    .isEqualTo(Map.of("idc-a-2", 4));
                            assertThat(desired(app("shop", "stay")))
                                    .isEqualTo(Map.of("idc-a-2", 4));
                        });
        a.connect();
        await().atMost(WAIT).until(() -> clusterState("idc-a-1") == ClusterState.READY);
        long readyAt = System.nanoTime();
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(desired(app("shop", "back")))
                                        .isEqualTo(Map.of("idc-a-1", 2, "idc-a-2", 2)));
        assertThat(System.nanoTime() - readyAt)
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500).toNanos());
        assertThat(desired(app("shop", "stay"))).isEqualTo(Map.of("idc-a-2", 4));
        b.applyUntilQuiet(Duration.ofMillis(200));
    }
}
