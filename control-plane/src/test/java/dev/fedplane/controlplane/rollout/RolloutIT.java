package dev.fedplane.controlplane.rollout;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.agent.HealthTracker;
import dev.fedplane.controlplane.agent.LiveClusters;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.Fixtures;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.controlplane.testing.TestClock;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppRevision;
import dev.fedplane.proto.v1.AppRevisionServiceGrpc;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.ApproveRolloutStageRequest;
import dev.fedplane.proto.v1.AuditServiceGrpc;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetRolloutRequest;
import dev.fedplane.proto.v1.ListAppRevisionsRequest;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.RollbackAppRequest;
import dev.fedplane.proto.v1.RollbackAppResponse;
import dev.fedplane.proto.v1.RolloutActionRequest;
import dev.fedplane.proto.v1.RolloutServiceGrpc;
import dev.fedplane.proto.v1.RolloutStage;
import dev.fedplane.proto.v1.RolloutStageStatus;
import dev.fedplane.proto.v1.RolloutState;
import dev.fedplane.proto.v1.RolloutStatus;
import dev.fedplane.proto.v1.RolloutStrategy;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import dev.fedplane.proto.v1.UpdateAppRequest;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadStatus;
import dev.fedplane.proto.v1.WorkloadStatusReport;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Staged rollouts end to end: a real control plane (H2, real gRPC) with a test clock, over five
 * simulated clusters speaking the real agent protocol. Each simulated cluster applies what it is
 * sent and reports every workload's revision with all its replicas updated, ready and available
 * (unless a test makes one stuck on a revision). The fleet: gray-1 (gray=true, idc=sh), bj-1 and
 * bj-2 (idc=bj), sh-1 and sh-2 (idc=sh). Each test has its own app of tenant shop, 10 replicas
 * divided over the five clusters (2 each), and the strategy gray (gray=true, one cluster at a time,
 * 60 s soak, AUTO), bj (idc=bj, one at a time, MANUAL), rest (every other cluster, AUTO).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String V1 = "registry.example/web:1.0";
    private static final String V2 = "registry.example/web:2.0";
    private static final String V3 = "registry.example/web:3.0";

    private final String clockName = "rollout-it-" + System.nanoTime();
    private TestClock clock;
    private ControlPlaneHarness cp;
    private final Map<String, SimCluster> sims = new ConcurrentHashMap<>();

    @BeforeAll
    void start() {
        clock = TestClock.named(clockName);
        cp =
                ControlPlaneHarness.start(
                        store(),
                        Map.of(
                                "fedplane.test.clock", clockName,
                                "fedplane.rollouts.tick-interval", "50ms",
                                // Two kept revisions: a rollout's stable one must outlive it.
                                "fedplane.revisions.history-limit", "2",
                                "fedplane.reconciler.resync-interval", "1s",
                                "fedplane.agent.heartbeat-interval", "1h",
                                "fedplane.health.lost-after", "10h",
                                // Health is checked by hand (failover), after the clock moved.
                                "fedplane.health.check-interval", "1000h"));
        String token =
                withToken(TokenServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(10)
                                        .setTtlSeconds(3600)
                                        .build())
                        .getSecret();
        register("gray-1", Map.of("gray", "true", "idc", "sh"), token);
        register("bj-1", Map.of("idc", "bj"), token);
        register("bj-2", Map.of("idc", "bj"), token);
        register("sh-1", Map.of("idc", "sh"), token);
        register("sh-2", Map.of("idc", "sh"), token);
        withToken(TenantServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN)
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(Fixtures.aTenant("shop"))
                                .build());
    }

    /** The store under test; {@link RolloutPostgresIT} runs the same on PostgreSQL. */
    ControlPlaneHarness.Store store() {
        return ControlPlaneHarness.Store.H2;
    }

    @AfterAll
    void stop() {
        sims.values().forEach(SimCluster::close);
        cp.close();
    }

    // ---------------------------------------------------------------- the tests

    @Test
    @Order(1)
    @DisplayName(
            "stage order: gray first (one cluster at a time), soak, then bj behind a manual gate, then the rest")
    void stagesInOrder() {
        createApp("web", strategy(RolloutStrategy.OnFailure.PAUSE, 0));
        awaitEverywhere("web", 1, V1);
        updateImage("web", V2);

        // Gray: only gray-1 gets revision 2; it soaks for 60 s of the test clock.
        RolloutStatus r = awaitRollout("web", s -> stage(s, "gray").getState().equals("SOAKING"));
        assertThat(r.getFromRevision()).isEqualTo(1);
        assertThat(r.getToRevision()).isEqualTo(2);
        assertRevisions(
                "web", Map.of("gray-1", 2L, "bj-1", 1L, "bj-2", 1L, "sh-1", 1L, "sh-2", 1L));
        assertThat(sims.get("bj-1").workload("web").getImage()).isEqualTo(V1);
        assertThat(sims.get("gray-1").workload("web").getImage()).isEqualTo(V2);
        // The strategy's RollingUpdate goes with every workload of the app.
        assertThat(sims.get("bj-1").workload("web").getMaxSurge()).isEqualTo(1);
        assertThat(sims.get("gray-1").workload("web").getMaxUnavailable()).isZero();

        // Not before the soak is over.
        clock.advance(Duration.ofSeconds(59));
        sims.get("gray-1").awaitReports(3);
        assertThat(rollout("web").getCurrentStage()).isZero();
        assertRevisions(
                "web", Map.of("gray-1", 2L, "bj-1", 1L, "bj-2", 1L, "sh-1", 1L, "sh-2", 1L));
        clock.advance(Duration.ofSeconds(2));

        // bj: one cluster at a time, then the manual gate.
        r = awaitRollout("web", s -> s.getState() == RolloutState.WAITING_APPROVAL);
        assertThat(r.getCurrentStage()).isEqualTo(1);
        assertThat(stage(r, "gray").getState()).isEqualTo("SUCCEEDED");
        assertThat(stage(r, "bj").getClustersList())
                .extracting(c -> c.getCluster() + ":" + c.getState())
                .containsExactly("bj-1:DONE", "bj-2:DONE");
        assertThat(sims.get("bj-2").revisionsSeen("web")).containsExactly(1L, 2L);
        assertRevisions(
                "web", Map.of("gray-1", 2L, "bj-1", 2L, "bj-2", 2L, "sh-1", 1L, "sh-2", 1L));
        // The one-at-a-time budget: bj-2 started only after bj-1 had finished.
        assertThat(sims.get("bj-1").firstSeen("web", 2))
                .isLessThanOrEqualTo(sims.get("bj-2").firstSeen("web", 2));

        // Approving the wrong stage is refused; the right one passes; the rest follows.
        assertStatus(
                () -> rollouts().approveRolloutStage(approve("web", "gray")),
                Status.Code.FAILED_PRECONDITION,
                "waits at stage bj");
        rollouts().approveRolloutStage(approve("web", "bj"));
        r = awaitRollout("web", s -> s.getState() == RolloutState.COMPLETED);
        assertThat(r.getStagesList())
                .extracting(RolloutStageStatus::getState)
                .containsOnly("SUCCEEDED");
        awaitEverywhere("web", 2, V2);
        assertThat(getApp("web").getRollout().getState()).isEqualTo(RolloutState.COMPLETED);
        // The runner and the users' calls are audited.
        assertThat(auditMethods()).contains("fedplane.v1.RolloutService/ApproveRolloutStage");
    }

    @Test
    @Order(2)
    @DisplayName("pause holds a soaking stage past its soak; resume lets it pass")
    void pauseAndResume() {
        createApp("cart", strategy(RolloutStrategy.OnFailure.PAUSE, 0));
        awaitEverywhere("cart", 1, V1);
        updateImage("cart", V2);
        awaitRollout("cart", s -> stage(s, "gray").getState().equals("SOAKING"));
        RolloutStatus paused = rollouts().pauseRollout(action("cart"));
        assertThat(paused.getState()).isEqualTo(RolloutState.PAUSED);
        clock.advance(Duration.ofSeconds(120));
        // Give the runner ticks to (not) move it: its state is unchanged after the reconciler
        // and the runner had their chances (the agents report again meanwhile).
        sims.get("gray-1").awaitReports(3);
        RolloutStatus still = rollout("cart");
        assertThat(still.getState()).isEqualTo(RolloutState.PAUSED);
        assertThat(still.getCurrentStage()).isZero();
        assertRevisions("cart", Map.of("gray-1", 2L, "bj-1", 1L, "sh-1", 1L));
        assertStatus(
                () -> rollouts().pauseRollout(action("cart")),
                Status.Code.FAILED_PRECONDITION,
                "it is PAUSED");
        assertThat(rollouts().resumeRollout(action("cart")).getState())
                .isEqualTo(RolloutState.PROGRESSING);
        // The soak is measured again from the resume: it starts at the runner's next step.
        awaitRollout(
                "cart",
                s ->
                        s.getState() == RolloutState.PROGRESSING
                                && stage(s, "gray").getState().equals("SOAKING"));
        clock.advance(Duration.ofSeconds(61));
        awaitRollout("cart", s -> s.getState() == RolloutState.WAITING_APPROVAL);
        RolloutStatus aborted = rollouts().abortRollout(action("cart"));
        assertThat(aborted.getState()).isEqualTo(RolloutState.ABORTED);
        // Aborted: every cluster runs revision 1 again; the spec stays at V2.
        awaitEverywhere("cart", 1, V1);
        assertThat(getApp("cart").getSpec().getImage()).isEqualTo(V2);
    }

    @Test
    @Order(3)
    @DisplayName(
            "a cluster that does not finish within the deadline fails the stage; on_failure ROLLBACK makes a new revision with the old template everywhere")
    void automaticRollback() {
        createApp("pay", strategy(RolloutStrategy.OnFailure.ROLLBACK, 120));
        awaitEverywhere("pay", 1, V1);
        sims.get("gray-1").stuckFrom("shop/pay", 2);
        updateImage("pay", V2);
        awaitRollout("pay", s -> stage(s, "gray").getClusters(0).getState().equals("UPDATING"));
        clock.advance(Duration.ofSeconds(121));
        RolloutStatus r = awaitRollout("pay", s -> s.getState() == RolloutState.ROLLED_BACK);
        assertThat(r.getMessage()).contains("gray-1 did not finish within 120 s");
        assertThat(stage(r, "gray").getState()).isEqualTo("FAILED");
        // Revision 3 has revision 1's template and goes everywhere at once.
        awaitEverywhere("pay", 3, V1);
        assertThat(getApp("pay").getSpec().getImage()).isEqualTo(V1);
        assertThat(sims.get("bj-1").revisionsSeen("pay")).containsExactly(1L, 3L);
        assertThat(auditMethods()).contains("RolloutRunner/RollbackApp");
    }

    @Test
    @Order(4)
    @DisplayName(
            "rollback to an older revision: a new revision with its template, staged by the strategy, or everywhere at once when immediate")
    void rollbackToOlder() {
        createApp("shop", strategy(RolloutStrategy.OnFailure.PAUSE, 0));
        awaitEverywhere("shop", 1, V1);
        updateImage("shop", V2);
        // Rolling back supersedes the rollout in flight: from stays 1, what had revision 2 gets 3.
        awaitRollout("shop", s -> stage(s, "gray").getState().equals("SOAKING"));
        RollbackAppResponse back =
                rollouts()
                        .rollbackApp(
                                RollbackAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("shop")
                                        .setToRevision(1)
                                        .build());
        assertThat(back.getRevision()).isEqualTo(3);
        assertThat(back.getRollout().getFromRevision()).isEqualTo(1);
        assertThat(back.getRollout().getToRevision()).isEqualTo(3);
        awaitRollout(
                "shop",
                s -> s.getToRevision() == 3 && stage(s, "gray").getState().equals("SOAKING"));
        assertRevisions("shop", Map.of("gray-1", 3L, "bj-1", 1L, "sh-2", 1L));
        assertThat(sims.get("gray-1").workload("shop").getImage()).isEqualTo(V1);
        // The history keeps two, and revision 1 besides: the rollout runs the other clusters on it.
        assertThat(
                        revisionsApi()
                                .listAppRevisions(
                                        ListAppRevisionsRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("shop")
                                                .build())
                                .getRevisionsList())
                .extracting(AppRevision::getRevision)
                .containsExactly(3L, 2L, 1L);

        // Immediate: revision 4 with revision 2's template, to every cluster at once.
        back =
                rollouts()
                        .rollbackApp(
                                RollbackAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("shop")
                                        .setToRevision(2)
                                        .setImmediate(true)
                                        .build());
        assertThat(back.getRevision()).isEqualTo(4);
        assertThat(back.hasRollout()).isFalse();
        awaitEverywhere("shop", 4, V2);
        assertThat(rollout("shop").getState()).isEqualTo(RolloutState.SUPERSEDED);

        // Refusals name the field or say why.
        assertStatus(
                () ->
                        rollouts()
                                .rollbackApp(
                                        RollbackAppRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("shop")
                                                .setToRevision(4)
                                                .build()),
                Status.Code.FAILED_PRECONDITION,
                "nothing to roll back");
        assertStatus(
                () ->
                        rollouts()
                                .rollbackApp(
                                        RollbackAppRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("shop")
                                                .setToRevision(-1)
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "to_revision");
        assertStatus(
                () ->
                        rollouts()
                                .rollbackApp(
                                        RollbackAppRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("shop")
                                                .setToRevision(99)
                                                .build()),
                Status.Code.NOT_FOUND,
                "99");
    }

    @Test
    @Order(5)
    @DisplayName("bad strategies are refused naming the field; reads and writes check the caller")
    void validationAndAccess() {
        AppSpec bad =
                Fixtures.aSpec(2)
                        .setRollout(
                                RolloutStrategy.newBuilder()
                                        .addStages(RolloutStage.newBuilder().setName("all"))
                                        .addStages(
                                                RolloutStage.newBuilder()
                                                        .setName("Bad_Name")
                                                        .putClusterSelector("idc", "bj")
                                                        .setSoakSeconds(-1))
                                        .setMinReadyPercent(101))
                        .build();
        assertStatus(
                () ->
                        apps().createApp(
                                        CreateAppRequest.newBuilder()
                                                .setApp(
                                                        App.newBuilder()
                                                                .setTenant("shop")
                                                                .setName("bad")
                                                                .setSpec(bad))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "app.spec.rollout.stages[0].cluster_selector");
        assertStatus(
                () ->
                        rollouts()
                                .getRollout(
                                        GetRolloutRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("web2")
                                                .build()),
                Status.Code.NOT_FOUND,
                "web2");
        assertStatus(
                () ->
                        rollouts()
                                .pauseRollout(
                                        RolloutActionRequest.newBuilder()
                                                .setTenant("Shop")
                                                .setName("web")
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "tenant");
        String viewer =
                withToken(TokenServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(Role.TENANT_VIEWER)
                                        .setTenant("shop")
                                        .build())
                        .getSecret();
        RolloutServiceGrpc.RolloutServiceBlockingStub asViewer =
                withToken(RolloutServiceGrpc.newBlockingStub(cp.channel()), viewer);
        assertThat(asViewer.getRollout(get("web")).getState()).isEqualTo(RolloutState.COMPLETED);
        assertStatus(() -> asViewer.abortRollout(action("web")), Status.Code.PERMISSION_DENIED, "");
        assertStatus(
                () -> rollouts().abortRollout(action("web").toBuilder().setRolloutId(999).build()),
                Status.Code.FAILED_PRECONDITION,
                "not 999");
    }

    @Test
    @Order(6)
    @DisplayName(
            "a failover in the middle of a rollout: the lost cluster's replicas go to the others, each with the revision its stage says; a scale too")
    void failoverMidRollout() throws InterruptedException {
        createApp("mid", strategy(RolloutStrategy.OnFailure.PAUSE, 0));
        awaitEverywhere("mid", 1, V1);
        updateImage("mid", V2);
        awaitRollout("mid", s -> stage(s, "gray").getState().equals("SOAKING"));
        clock.advance(Duration.ofSeconds(61));
        awaitRollout("mid", s -> s.getState() == RolloutState.WAITING_APPROVAL);
        // Every other app's rollout is over, so the jump below fails no deadline.

        // bj-1 is lost: its agent stops; 11 h later (past lost-after) the others have heartbeated.
        sims.get("bj-1").crash();
        clock.advance(Duration.ofHours(11));
        long now = clock.millis();
        LiveClusters live = cp.context().getBean(LiveClusters.class);
        for (String c : List.of("gray-1", "bj-2", "sh-1", "sh-2")) {
            await().atMost(WAIT).until(() -> live.get(c).lastHeartbeat() >= now);
        }
        cp.context().getBean(HealthTracker.class).check();

        // 10 replicas on the four that are left; bj-2 (stage bj, started) and gray-1 run 2, the
        // sh clusters (stage rest, not reached) 1.
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Map<String, Integer> d = desired(getApp("mid"));
                            assertThat(d).doesNotContainKey("bj-1");
                            assertThat(d.values().stream().mapToInt(Integer::intValue).sum())
                                    .isEqualTo(10);
                        });
        awaitApplied("mid", Map.of("gray-1", 2L, "bj-2", 2L, "sh-1", 1L, "sh-2", 1L));
        assertThat(sims.get("sh-1").workload("mid").getImage()).isEqualTo(V1);
        awaitRollout(
                "mid",
                s ->
                        s.getState() == RolloutState.WAITING_APPROVAL
                                && stage(s, "bj").getClustersList().stream()
                                        .allMatch(c -> c.getState().equals("DONE")));

        // A scale in the middle: the new replicas get each cluster's revision too.
        apps().scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("mid")
                                .setReplicas(16)
                                .build());
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                sims.values().stream()
                                                        .filter(s -> !s.crashed)
                                                        .mapToInt(s -> s.replicas("mid"))
                                                        .sum())
                                        .isEqualTo(16));
        awaitApplied("mid", Map.of("gray-1", 2L, "bj-2", 2L, "sh-1", 1L, "sh-2", 1L));
        // bj-2's new replicas roll too before the gate waits again.
        awaitRollout("mid", s -> s.getState() == RolloutState.WAITING_APPROVAL);
        rollouts().approveRolloutStage(approve("mid", "bj"));
        awaitRollout("mid", s -> s.getState() == RolloutState.COMPLETED);
        awaitApplied("mid", Map.of("gray-1", 2L, "bj-2", 2L, "sh-1", 2L, "sh-2", 2L));
    }

    @Test
    @Order(7)
    @DisplayName(
            "a leader change in the middle of a rollout: the new leader reads the rollout from the store; no cluster goes back a revision")
    void leaderChangeMidRollout() throws InterruptedException {
        createApp("lead", strategy(RolloutStrategy.OnFailure.PAUSE, 0));
        awaitEverywhere("lead", 1, V1);
        updateImage("lead", V2);
        awaitRollout("lead", s -> stage(s, "gray").getState().equals("SOAKING"));
        clock.advance(Duration.ofSeconds(61));
        RolloutStatus before =
                awaitRollout("lead", s -> s.getState() == RolloutState.WAITING_APPROVAL);

        // A new process on the same store takes the next epoch; the agents reconnect to it.
        List<SimCluster> alive = sims.values().stream().filter(s -> !s.crashed).toList();
        alive.forEach(SimCluster::pause);
        cp.restart();
        for (SimCluster s : alive) {
            s.reconnect(cp);
        }
        RolloutStatus after = rollout("lead");
        assertThat(after.getRolloutId()).isEqualTo(before.getRolloutId());
        assertThat(after.getState()).isEqualTo(RolloutState.WAITING_APPROVAL);
        assertThat(after.getCurrentStage()).isEqualTo(1);
        // The new leader sends each cluster what the stored rollout says.
        awaitApplied("lead", Map.of("gray-1", 2L, "bj-2", 2L, "sh-1", 1L, "sh-2", 1L));
        rollouts().approveRolloutStage(approve("lead", "bj"));
        awaitRollout("lead", s -> s.getState() == RolloutState.COMPLETED);
        awaitApplied("lead", Map.of("gray-1", 2L, "bj-2", 2L, "sh-1", 2L, "sh-2", 2L));
        for (SimCluster s : sims.values()) {
            assertThat(s.failures).as("protocol errors on %s", s.name).isEmpty();
        }
        for (SimCluster s : alive) {
            List<Long> seen = s.revisionsSeen("lead");
            assertThat(seen).as("revisions %s saw", s.name).isSorted();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static RolloutStrategy strategy(RolloutStrategy.OnFailure onFailure, long deadline) {
        return RolloutStrategy.newBuilder()
                .addStages(
                        RolloutStage.newBuilder()
                                .setName("gray")
                                .putClusterSelector("gray", "true")
                                .setMaxUnavailableClusters(1)
                                .setSoakSeconds(60)
                                .setGate(RolloutStage.Gate.AUTO))
                .addStages(
                        RolloutStage.newBuilder()
                                .setName("bj")
                                .putClusterSelector("idc", "bj")
                                .setMaxUnavailableClusters(1)
                                .setGate(RolloutStage.Gate.MANUAL))
                .addStages(RolloutStage.newBuilder().setName("rest"))
                .setMaxSurge(1)
                .setMaxUnavailable(0)
                .setOnFailure(onFailure)
                .setProgressDeadlineSeconds(deadline == 0 ? 7 * 24 * 3600 : deadline)
                .build();
    }

    private void createApp(String name, RolloutStrategy s) {
        apps().createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("shop")
                                                .setName(name)
                                                .setSpec(
                                                        Fixtures.aSpec(10)
                                                                .setImage(V1)
                                                                .setRollout(s)))
                                .build());
    }

    private void updateImage(String name, String image) {
        App a = getApp(name);
        apps().updateApp(
                        UpdateAppRequest.newBuilder()
                                .setApp(
                                        a.toBuilder()
                                                .setSpec(a.getSpec().toBuilder().setImage(image))
                                                .setResourceVersion(0))
                                .build());
    }

    private App getApp(String name) {
        return apps().getApp(GetAppRequest.newBuilder().setTenant("shop").setName(name).build());
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

    private RolloutStatus rollout(String name) {
        return rollouts().getRollout(get(name));
    }

    private static GetRolloutRequest get(String name) {
        return GetRolloutRequest.newBuilder().setTenant("shop").setName(name).build();
    }

    private static RolloutActionRequest action(String name) {
        return RolloutActionRequest.newBuilder().setTenant("shop").setName(name).build();
    }

    private static ApproveRolloutStageRequest approve(String name, String stage) {
        return ApproveRolloutStageRequest.newBuilder()
                .setTenant("shop")
                .setName(name)
                .setStage(stage)
                .build();
    }

    private static RolloutStageStatus stage(RolloutStatus s, String name) {
        return s.getStagesList().stream()
                .filter(st -> st.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private RolloutStatus awaitRollout(
            String name, java.util.function.Predicate<RolloutStatus> done) {
        RolloutStatus[] last = new RolloutStatus[1];
        try {
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreException(StatusRuntimeException.class)
                    .until(
                            () -> {
                                last[0] = rollout(name);
                                return done.test(last[0]);
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("rollout of " + name + " is " + last[0], e);
        }
        return last[0];
    }

    /** Every live cluster with replicas of the app runs {@code revision} with {@code image}. */
    private void awaitEverywhere(String app, long revision, String image) {
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Map<String, Integer> d = desired(getApp(app));
                            assertThat(d).isNotEmpty();
                            for (String c : d.keySet()) {
                                SimCluster s = sims.get(c);
                                Workload w = s.workload(app);
                                assertThat(w).as("%s on %s", app, c).isNotNull();
                                assertThat(w.getRevision())
                                        .as("%s on %s", app, c)
                                        .isEqualTo(revision);
                                assertThat(w.getImage()).isEqualTo(image);
                                assertThat(w.getReplicas()).isEqualTo(d.get(c));
                            }
                        });
    }

    private void awaitApplied(String app, Map<String, Long> revisions) {
        await().atMost(WAIT).untilAsserted(() -> assertRevisions(app, revisions));
    }

    private void assertRevisions(String app, Map<String, Long> revisions) {
        Map<String, Long> have = new TreeMap<>();
        for (String c : revisions.keySet()) {
            Workload w = sims.get(c).workload(app);
            have.put(c, w == null ? -1 : w.getRevision());
        }
        assertThat(have).isEqualTo(new TreeMap<>(revisions));
    }

    private List<String> auditMethods() {
        return withToken(AuditServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN)
                .listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(500).build())
                .getEventsList()
                .stream()
                .map(e -> e.getMethod())
                .toList();
    }

    private AppServiceGrpc.AppServiceBlockingStub apps() {
        return withToken(AppServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private AppRevisionServiceGrpc.AppRevisionServiceBlockingStub revisionsApi() {
        return withToken(AppRevisionServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private RolloutServiceGrpc.RolloutServiceBlockingStub rollouts() {
        return withToken(RolloutServiceGrpc.newBlockingStub(cp.channel()), ADMIN_TOKEN);
    }

    private static void assertStatus(Runnable call, Status.Code code, String contains) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            assertThat(e.getStatus().getDescription() + " " + e.getTrailers())
                                    .contains(contains);
                        });
    }

    private void register(String name, Map<String, String> labels, String token) {
        ProtocolAgent a = new ProtocolAgent(cp.channel(), name);
        a.register(token, labels, ProtocolAgent.capacity(64_000, 262_144, 1_100));
        SimCluster s = new SimCluster(name, a);
        sims.put(name, s);
        s.start();
        await().atMost(WAIT)
                .until(
                        () ->
                                cp.context().getBean(LiveClusters.class).get(name) != null
                                        && cp.context()
                                                .getBean(LiveClusters.class)
                                                .get(name)
                                                .health()
                                                .name()
                                                .equals("READY"));
    }

    /**
     * A simulated cluster on the real agent protocol: one thread applies what arrives and, every
     * 100 ms, reports each workload as Kubernetes would once the rollout within the cluster is
     * over: the Deployment's revision with every replica updated, ready and available. A workload
     * made stuck from a revision on reports that revision with no replica updated (the old ones
     * stay ready).
     */
    private static final class SimCluster implements AutoCloseable {
        final String name;
        volatile ProtocolAgent agent;
        volatile boolean crashed;
        private volatile boolean paused;
        private final Map<String, Long> stuckFrom = new ConcurrentHashMap<>();
        private final Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        private final Map<String, Map<Long, Long>> firstSeen = new ConcurrentHashMap<>();
        private final Map<String, Workload> applied = new ConcurrentHashMap<>();
        private volatile int reports;
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private Thread loop;

        SimCluster(String name, ProtocolAgent agent) {
            this.name = name;
            this.agent = agent;
        }

        void start() {
            agent.connect();
            loop = new Thread(this::run, "sim-" + name);
            loop.setDaemon(true);
            loop.start();
        }

        private void run() {
            long nextReport = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ProtocolAgent a = agent;
                    if (paused || a == null) {
                        TimeUnit.MILLISECONDS.sleep(20); // pacing of a paused agent
                        continue;
                    }
                    ControlMessage m = a.received.poll(20, TimeUnit.MILLISECONDS);
                    if (m != null) {
                        a.apply(m);
                        record(a);
                    }
                    if (System.nanoTime() >= nextReport) {
                        report(a);
                        nextReport = System.nanoTime() + 100_000_000L;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the stream closed under us (restart, crash): the next agent takes over
                } catch (AssertionError e) {
                    failures.add(e);
                }
            }
        }

        private void record(ProtocolAgent a) {
            applied.clear();
            for (Workload w : a.workloads.values()) {
                applied.put(w.getApp(), w);
                List<Long> revs =
                        seen.computeIfAbsent(w.getApp(), k -> new CopyOnWriteArrayList<>());
                if (revs.isEmpty() || revs.get(revs.size() - 1) != w.getRevision()) {
                    revs.add(w.getRevision());
                }
                firstSeen
                        .computeIfAbsent(w.getApp(), k -> new ConcurrentHashMap<>())
                        .putIfAbsent(w.getRevision(), System.nanoTime());
            }
        }

        private void report(ProtocolAgent a) {
            WorkloadStatusReport.Builder r = WorkloadStatusReport.newBuilder();
            for (Workload w : a.workloads.values()) {
                Long stuck = stuckFrom.get(w.getTenant() + "/" + w.getApp());
                boolean rolled = stuck == null || w.getRevision() < stuck;
                r.addWorkloads(
                        WorkloadStatus.newBuilder()
                                .setTenant(w.getTenant())
                                .setApp(w.getApp())
                                .setDesiredReplicas(w.getReplicas())
                                .setReadyReplicas(w.getReplicas())
                                .setRevision(w.getRevision())
                                .setUpdatedReplicas(rolled ? w.getReplicas() : 0)
                                .setAvailableReplicas(w.getReplicas()));
            }
            a.send(AgentMessage.newBuilder().setStatus(r).build());
            reports++;
        }

        void stuckFrom(String tenantSlashApp, long revision) {
            stuckFrom.put(tenantSlashApp, revision);
        }

        Workload workload(String app) {
            return applied.get(app);
        }

        int replicas(String app) {
            Workload w = applied.get(app);
            return w == null ? 0 : w.getReplicas();
        }

        List<Long> revisionsSeen(String app) {
            return new ArrayList<>(seen.getOrDefault(app, List.of()));
        }

        long firstSeen(String app, long revision) {
            return firstSeen.getOrDefault(app, Map.of()).getOrDefault(revision, Long.MAX_VALUE);
        }

        /** Waits until this cluster sent {@code n} more reports. */
        void awaitReports(int n) {
            int target = reports + n;
            await().atMost(WAIT).until(() -> reports >= target);
        }

        void crash() {
            crashed = true;
            paused = true;
            agent.disconnect();
            applied.clear();
        }

        void pause() {
            paused = true;
        }

        /** A new stream to the restarted control plane, from this cluster's applied state. */
        void reconnect(ControlPlaneHarness cp) {
            ProtocolAgent old = agent;
            old.disconnect();
            ProtocolAgent next = new ProtocolAgent(cp.channel(), name);
            next.useCredential(old.credential());
            next.workloads.putAll(old.workloads);
            next.namespaces.putAll(old.namespaces);
            next.appliedGeneration = old.appliedGeneration;
            next.seenEpoch = old.seenEpoch;
            agent = next;
            next.connect();
            paused = false;
        }

        @Override
        public void close() {
            if (loop != null) {
                loop.interrupt();
            }
            agent.close();
        }
    }
}
