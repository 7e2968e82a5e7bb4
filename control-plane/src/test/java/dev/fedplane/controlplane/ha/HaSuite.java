package dev.fedplane.controlplane.ha;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.reconcile.ReconcileStore;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.ApproveRolloutStageRequest;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.ControlPlaneRole;
import dev.fedplane.proto.v1.ControlPlaneServiceGrpc;
import dev.fedplane.proto.v1.ControlPlaneStatus;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetControlPlaneStatusRequest;
import dev.fedplane.proto.v1.GetRolloutRequest;
import dev.fedplane.proto.v1.GetTenantRequest;
import dev.fedplane.proto.v1.RolloutServiceGrpc;
import dev.fedplane.proto.v1.RolloutStage;
import dev.fedplane.proto.v1.RolloutState;
import dev.fedplane.proto.v1.RolloutStatus;
import dev.fedplane.proto.v1.RolloutStrategy;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HA behaviour of three control-plane instances sharing one PostgreSQL database and one
 * election store, run once on etcd ({@link HaEtcdIT}) and once on ZooKeeper ({@link
 * HaZookeeperIT}). A lease TTL of 2 s keeps it quick; every wait is bounded by the TTL plus a
 * margin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HaSuite {
    static final Duration TTL = Duration.ofSeconds(2);

    /**
     * A new leader within the TTL plus this (the "small margin"; generous for a shared
     * 2-core machine).
     */
    static final Duration MARGIN = Duration.ofSeconds(3);

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger NAMES = new AtomicInteger();

    HaCluster cluster;
    private final List<FollowingAgent> agents = new ArrayList<>();

    abstract ElectionBackend backend();

    @BeforeAll
    void startCluster() {
        cluster =
                new HaCluster(
                        backend(),
                        TTL,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.health.lost-after", "60s",
                                // Longer than WAIT: a follower's write must reach the leader
                                // through the change feed.
                                "fedplane.reconciler.resync-interval", "60s",
                                "fedplane.agent.retry-after-failure", "200ms",
                                // three instances (and the other suites' databases) share one
                                // PostgreSQL server
                                "datasources.default.maximum-pool-size", 4,
                                "datasources.default.minimum-idle", 1));
    }

    @BeforeEach
    void threeInstancesAndOneLeader() {
        cluster.ensureAlive(3);
        await().atMost(WAIT).until(() -> cluster.leaders().size() == 1);
    }

    @AfterEach
    void closeAgents() {
        agents.forEach(FollowingAgent::close);
        agents.clear();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    static <S extends io.grpc.stub.AbstractStub<S>> S admin(S stub) {
        return ControlPlaneHarness.withToken(stub, ControlPlaneHarness.ADMIN_TOKEN);
    }

    static TenantServiceGrpc.TenantServiceBlockingStub tenants(Channel c) {
        return admin(TenantServiceGrpc.newBlockingStub(c));
    }

    static AppServiceGrpc.AppServiceBlockingStub apps(Channel c) {
        return admin(AppServiceGrpc.newBlockingStub(c));
    }

    HaCluster.Node leader() {
        await().atMost(WAIT).until(() -> cluster.leaders().size() == 1);
        return cluster.leaders().get(0);
    }

    List<String> addresses() {
        return cluster.alive().stream().map(HaCluster.Node::address).toList();
    }

    /**
     * A tenant with one app of {@code replicas} and a registered agent following the leader, with
     * the app applied.
     */
    FollowingAgent appWithAgent(String tenant, int replicas) throws InterruptedException {
        HaCluster.Node leader = leader();
        tenants(leader.channel())
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant(tenant, 100000, 102400, 100))
                                .build());
        String bootstrap =
                admin(TokenServiceGrpc.newBlockingStub(leader.channel()))
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(1)
                                        .setTtlSeconds(3600)
                                        .build())
                        .getSecret();
        // Registration is served by any instance: register through a follower.
        ProtocolAgent registered =
                new ProtocolAgent(cluster.followers().get(0).channel(), "idc-" + tenant);
        registered.register(
                bootstrap, Map.of("region", "east"), ProtocolAgent.capacity(8000, 32768, 110));
        FollowingAgent agent = new FollowingAgent(registered);
        agents.add(agent);
        agent.connect(this::addresses, WAIT);
        // Pinned to this test's cluster: the clusters of earlier tests stay registered.
        dev.fedplane.proto.v1.App.Builder app = anApp(tenant, "web", replicas);
        app.getSpecBuilder()
                .getPlacementBuilder()
                .setClusterAffinity(ClusterSelector.newBuilder().addNames(agent.cluster));
        apps(leader.channel()).createApp(CreateAppRequest.newBuilder().setApp(app).build());
        agent.current()
                .applyUntil(() -> agent.current().replicasOf(tenant + "/web") == replicas, WAIT);
        return agent;
    }

    static String uniqueTenant() {
        return "t" + NAMES.incrementAndGet();
    }

    // ------------------------------------------------------------------ tests

    @Test
    @DisplayName(
            "exactly one of three instances leads; the others redirect agents to it and report it by gRPC and /health")
    void oneLeader() throws Exception {
        await().during(Duration.ofMillis(TTL.toMillis()))
                .atMost(WAIT)
                .until(() -> cluster.leaders().size() == 1);
        HaCluster.Node leader = leader();
        long epoch = leader.leadership().epoch();
        assertThat(epoch).isPositive();

        for (HaCluster.Node n : cluster.alive()) {
            ControlPlaneStatus s =
                    admin(ControlPlaneServiceGrpc.newBlockingStub(n.channel()))
                            .getControlPlaneStatus(
                                    GetControlPlaneStatusRequest.getDefaultInstance());
            assertThat(s.getInstanceId()).isEqualTo(n.id);
            assertThat(s.getHaMode()).isEqualTo(cluster.backend.mode());
            assertThat(s.getRole())
                    .isEqualTo(
                            n == leader
                                    ? ControlPlaneRole.CONTROL_PLANE_ROLE_LEADER
                                    : ControlPlaneRole.CONTROL_PLANE_ROLE_FOLLOWER);
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                ControlPlaneStatus v =
                                        admin(ControlPlaneServiceGrpc.newBlockingStub(n.channel()))
                                                .getControlPlaneStatus(
                                                        GetControlPlaneStatusRequest
                                                                .getDefaultInstance());
                                assertThat(v.getLeader().getId()).isEqualTo(leader.id);
                                assertThat(v.getLeader().getAddress()).isEqualTo(leader.address());
                                assertThat(v.getLeader().getEpoch()).isEqualTo(epoch);
                            });
            String health =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + n.cp.httpPort()
                                                                    + "/health/readiness"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(health)
                    .contains("\"role\":\"" + (n == leader ? "leader" : "follower") + "\"")
                    .contains("\"leaderId\":\"" + leader.id + "\"")
                    .contains("\"epoch\"");
        }
        // Without a token the status call is refused like the rest of the platform API.
        assertThatThrownBy(
                        () ->
                                ControlPlaneServiceGrpc.newBlockingStub(leader.channel())
                                        .getControlPlaneStatus(
                                                GetControlPlaneStatusRequest.getDefaultInstance()))
                .satisfies(
                        e ->
                                assertThat(Status.fromThrowable(e).getCode())
                                        .isEqualTo(Status.Code.UNAUTHENTICATED));

        FollowingAgent agent = appWithAgent(uniqueTenant(), 2);
        HaCluster.Node follower = cluster.followers().get(0);
        ProtocolAgent direct = new ProtocolAgent(follower.channel(), agent.cluster);
        direct.useCredential(agent.current().credential());
        direct.connect();
        await().atMost(WAIT).until(() -> direct.closedWith != null);
        direct.disconnect();
        assertThat(direct.closedWith.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(FollowingAgent.redirectOf(direct.closedError)).contains(leader.address());
    }

    @Test
    @DisplayName(
            "a write served by a follower reaches the leader's reconciler and its agents without waiting for a resync")
    void followerWriteReachesLeader() throws Exception {
        String tenant = uniqueTenant();
        FollowingAgent agent = appWithAgent(tenant, 2);
        HaCluster.Node follower = cluster.followers().get(0);
        apps(follower.channel())
                .scaleApp(
                        dev.fedplane.proto.v1.ScaleAppRequest.newBuilder()
                                .setTenant(tenant)
                                .setName("web")
                                .setReplicas(5)
                                .build());
        agent.current().applyUntil(() -> agent.current().replicasOf(tenant + "/web") == 5, WAIT);
    }

    @Test
    @DisplayName(
            "when the leader crashes another leads within the lease TTL plus a margin, agents follow it, reconciliation resumes and no acknowledged write is lost")
    void leaderCrash() throws Exception {
        String tenant = uniqueTenant();
        FollowingAgent agent = appWithAgent(tenant, 2);
        HaCluster.Node old = leader();
        long oldEpoch = old.leadership().epoch();
        // Acknowledged writes just before the crash: one on the leader, one on a follower.
        apps(old.channel())
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant(tenant)
                                .setName("web")
                                .setReplicas(3)
                                .build());
        String other = uniqueTenant();
        tenants(cluster.followers().get(0).channel())
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant(other)).build());

        long crashed = System.nanoTime();
        cluster.crash(old);
        await().atMost(TTL.plus(MARGIN)).until(() -> cluster.leaders().size() == 1);
        Duration failover = Duration.ofNanos(System.nanoTime() - crashed);
        HaCluster.Node next = leader();
        assertThat(next).isNotSameAs(old);
        assertThat(next.leadership().epoch()).isGreaterThan(oldEpoch);

        agent.applyUntil(
                this::addresses, () -> agent.current().replicasOf(tenant + "/web") == 3, WAIT);
        // Reconciliation resumed: a write on the new leader reaches the agent, stamped with its
        // epoch.
        apps(next.channel())
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant(tenant)
                                .setName("web")
                                .setReplicas(4)
                                .build());
        agent.applyUntil(
                this::addresses, () -> agent.current().replicasOf(tenant + "/web") == 4, WAIT);
        assertThat(agent.current().seenEpoch).isEqualTo(next.leadership().epoch());

        for (HaCluster.Node n : cluster.alive()) {
            assertThat(
                            apps(n.channel())
                                    .getApp(
                                            GetAppRequest.newBuilder()
                                                    .setTenant(tenant)
                                                    .setName("web")
                                                    .build())
                                    .getSpec()
                                    .getReplicas())
                    .isEqualTo(4);
            assertThat(
                            tenants(n.channel())
                                    .getTenant(GetTenantRequest.newBuilder().setName(other).build())
                                    .getName())
                    .isEqualTo(other);
        }
        System.out.printf(
                "%s: new leader %s %d ms after the crash%n",
                cluster.backend.mode(), next.id, failover.toMillis());
    }

    @Test
    @DisplayName(
            "a paused leader that wakes after another took over changes nothing: its store writes and its messages to agents are refused")
    void pausedLeader() throws Exception {
        String tenant = uniqueTenant();
        FollowingAgent agent = appWithAgent(tenant, 2);
        HaCluster.Node paused = leader();
        long pausedEpoch = paused.leadership().epoch();
        AppStore.Stored app = paused.bean(ReconcileStore.class).app(tenant, "web").orElseThrow();

        pause(paused);
        try {
            pausedLeaderIsFenced(tenant, agent, paused, pausedEpoch, app);
        } finally {
            resume(paused);
        }
        await().atMost(WAIT).until(() -> !paused.leads());
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> cluster.leaders().size() == 1);
        assertThat(cluster.leaders().get(0)).isNotSameAs(paused);
    }

    private void pausedLeaderIsFenced(
            String tenant,
            FollowingAgent agent,
            HaCluster.Node paused,
            long pausedEpoch,
            AppStore.Stored app)
            throws Exception {
        await().atMost(TTL.plus(MARGIN).plus(TTL))
                .until(() -> cluster.alive().stream().anyMatch(n -> n != paused && n.leads()));
        HaCluster.Node next =
                cluster.alive().stream()
                        .filter(n -> n != paused && n.leads())
                        .findFirst()
                        .orElseThrow();
        assertThat(next.leadership().epoch()).isGreaterThan(pausedEpoch);
        // The paused instance still believes it leads, as a process in a long GC pause would.
        assertThat(paused.leadership().isLeader()).isTrue();
        assertThat(paused.leadership().epoch()).isEqualTo(pausedEpoch);

        // The agent moves to the new leader and sees its epoch with the next change.
        agent.connect(() -> List.of(next.address()), WAIT);
        apps(next.channel())
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant(tenant)
                                .setName("web")
                                .setReplicas(3)
                                .build());
        agent.current().applyUntil(() -> agent.current().replicasOf(tenant + "/web") == 3, WAIT);
        assertThat(agent.current().seenEpoch).isEqualTo(next.leadership().epoch());

        // Its late store writes are refused by the fence...
        ReconcileStore store = paused.bean(ReconcileStore.class);
        assertThatThrownBy(
                        () ->
                                store.writeApps(
                                        pausedEpoch,
                                        java.util.List.of(
                                                new ReconcileStore.AppWrite(
                                                        app.id(), null, App.Status.NONE))))
                .isInstanceOf(FedplaneException.class)
                .hasMessageContaining("superseded");
        // ...and so is its stream to the agent: it has seen a newer epoch.
        ProtocolAgent late = new ProtocolAgent(paused.channel(), agent.cluster);
        late.useCredential(agent.current().credential());
        late.seenEpoch = agent.current().seenEpoch;
        late.appliedGeneration = agent.current().appliedGeneration;
        late.connect();
        await().atMost(WAIT).until(() -> late.closedWith != null);
        late.disconnect();
        assertThat(late.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(late.received)
                .allSatisfy(m -> assertThat(m.getEpoch()).isLessThan(agent.current().seenEpoch));
        assertThat(
                        apps(next.channel())
                                .getApp(
                                        GetAppRequest.newBuilder()
                                                .setTenant(tenant)
                                                .setName("web")
                                                .build())
                                .getStatus()
                                .getClustersList())
                .isNotEmpty();
    }

    @Test
    @DisplayName(
            "while the election store is down the leader steps down when its lease runs out, the platform API keeps serving, and a leader returns with the store")
    void storeOutage() throws Exception {
        HaCluster.Node leader = leader();
        long before = leader.leadership().epoch();
        cluster.backend.stop();
        long stopped = System.nanoTime();
        try {
            await().atMost(TTL.plus(MARGIN)).until(() -> cluster.leaders().isEmpty());
            Duration stepDown = Duration.ofNanos(System.nanoTime() - stopped);
            assertThat(stepDown).isLessThanOrEqualTo(TTL.plus(MARGIN));
            // Every instance still serves reads and writes from the shared store.
            for (HaCluster.Node n : cluster.alive()) {
                String t = uniqueTenant();
                tenants(n.channel())
                        .createTenant(
                                CreateTenantRequest.newBuilder().setTenant(aTenant(t)).build());
                for (HaCluster.Node m : cluster.alive()) {
                    assertThat(
                                    tenants(m.channel())
                                            .getTenant(
                                                    GetTenantRequest.newBuilder()
                                                            .setName(t)
                                                            .build())
                                            .getName())
                            .isEqualTo(t);
                }
            }
        } finally {
            cluster.backend.start();
        }
        await().atMost(WAIT).until(() -> cluster.leaders().size() == 1);
        // Never lower. Equal only when the old leader's ZooKeeper session outlived a short outage:
        // then it kept its latch node, so no one else can have led in between.
        assertThat(leader().leadership().epoch()).isGreaterThanOrEqualTo(before);
    }

    @Test
    @DisplayName(
            "a leader crash in the middle of a staged rollout: the new leader reads the rollout from the store, the cluster keeps its revision, approval goes on")
    void leaderCrashMidRollout() throws Exception {
        String tenant = uniqueTenant();
        FollowingAgent agent = appWithAgent(tenant, 2);
        HaCluster.Node old = leader();
        dev.fedplane.proto.v1.App app =
                apps(old.channel())
                        .getApp(
                                GetAppRequest.newBuilder()
                                        .setTenant(tenant)
                                        .setName("web")
                                        .build());
        // A new image and a strategy: this cluster (region=east) first, behind a manual gate.
        apps(old.channel())
                .updateApp(
                        dev.fedplane.proto.v1.UpdateAppRequest.newBuilder()
                                .setApp(
                                        app.toBuilder()
                                                .setResourceVersion(0)
                                                .setSpec(
                                                        app.getSpec().toBuilder()
                                                                .setImage(
                                                                        "registry.example/web:2.0")
                                                                .setRollout(
                                                                        RolloutStrategy.newBuilder()
                                                                                .addStages(
                                                                                        RolloutStage
                                                                                                .newBuilder()
                                                                                                .setName(
                                                                                                        "east")
                                                                                                .putClusterSelector(
                                                                                                        "region",
                                                                                                        "east")
                                                                                                .setGate(
                                                                                                        RolloutStage
                                                                                                                .Gate
                                                                                                                .MANUAL))
                                                                                .addStages(
                                                                                        RolloutStage
                                                                                                .newBuilder()
                                                                                                .setName(
                                                                                                        "rest")))))
                                .build());
        String key = tenant + "/web";
        agent.current().applyUntil(() -> revisionOf(agent, key) == 2, WAIT);
        reportRolledOut(agent, key);
        RolloutStatus before =
                await().atMost(WAIT)
                        .until(
                                () -> rollouts(old.channel()).getRollout(rollout(tenant)),
                                r -> r.getState() == RolloutState.WAITING_APPROVAL);

        cluster.crash(old);
        await().atMost(TTL.plus(MARGIN)).until(() -> cluster.leaders().size() == 1);
        HaCluster.Node next = leader();
        RolloutStatus after = rollouts(next.channel()).getRollout(rollout(tenant));
        assertThat(after.getRolloutId()).isEqualTo(before.getRolloutId());
        assertThat(after.getState()).isEqualTo(RolloutState.WAITING_APPROVAL);
        assertThat(after.getStages(0).getClusters(0).getState()).isEqualTo("DONE");
        // A scale on the new leader: the replicas it sends come with the revision the stored
        // rollout gives this cluster (2), not the app's stable one.
        apps(next.channel())
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant(tenant)
                                .setName("web")
                                .setReplicas(3)
                                .build());
        agent.applyUntil(this::addresses, () -> agent.current().replicasOf(key) == 3, WAIT);
        assertThat(agent.current().seenEpoch).isEqualTo(next.leadership().epoch());
        assertThat(revisionOf(agent, key)).isEqualTo(2);
        assertThat(agent.current().workloads.get(key).getImage())
                .isEqualTo("registry.example/web:2.0");
        reportRolledOut(agent, key);
        await().atMost(WAIT)
                .until(
                        () -> rollouts(next.channel()).getRollout(rollout(tenant)),
                        r ->
                                r.getState() == RolloutState.WAITING_APPROVAL
                                        && r.getStages(0).getClusters(0).getDesired() == 3
                                        && r.getStages(0).getClusters(0).getState().equals("DONE"));
        rollouts(next.channel())
                .approveRolloutStage(
                        ApproveRolloutStageRequest.newBuilder()
                                .setTenant(tenant)
                                .setName("web")
                                .setStage("east")
                                .build());
        await().atMost(WAIT)
                .until(
                        () -> rollouts(next.channel()).getRollout(rollout(tenant)).getState(),
                        s -> s == RolloutState.COMPLETED);
        assertThat(revisionOf(agent, key)).isEqualTo(2);
    }

    private static long revisionOf(FollowingAgent agent, String key) {
        dev.fedplane.proto.v1.Workload w = agent.current().workloads.get(key);
        return w == null ? 0 : w.getRevision();
    }

    /** What the agent of a Deployment rolled out to its revision reports. */
    private static void reportRolledOut(FollowingAgent agent, String key) {
        dev.fedplane.proto.v1.Workload w = agent.current().workloads.get(key);
        agent.current()
                .send(
                        dev.fedplane.proto.v1.AgentMessage.newBuilder()
                                .setStatus(
                                        dev.fedplane.proto.v1.WorkloadStatusReport.newBuilder()
                                                .addWorkloads(
                                                        dev.fedplane.proto.v1.WorkloadStatus
                                                                .newBuilder()
                                                                .setTenant(w.getTenant())
                                                                .setApp(w.getApp())
                                                                .setRevision(w.getRevision())
                                                                .setDesiredReplicas(w.getReplicas())
                                                                .setUpdatedReplicas(w.getReplicas())
                                                                .setReadyReplicas(w.getReplicas())
                                                                .setAvailableReplicas(
                                                                        w.getReplicas())))
                                .build());
    }

    private static RolloutServiceGrpc.RolloutServiceBlockingStub rollouts(Channel c) {
        return admin(RolloutServiceGrpc.newBlockingStub(c));
    }

    private static GetRolloutRequest rollout(String tenant) {
        return GetRolloutRequest.newBuilder().setTenant(tenant).setName("web").build();
    }

    /**
     * Simulates a long pause of {@code n}: it stops refreshing its lease or session and stops
     * noticing.
     */
    abstract void pause(HaCluster.Node n) throws Exception;

    abstract void resume(HaCluster.Node n) throws Exception;
}
