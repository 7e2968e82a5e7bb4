package dev.fedplane.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.rollout.RolloutStateMachine.ClusterView;
import dev.fedplane.controlplane.rollout.RolloutStateMachine.Result;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rollout rules on a three-stage strategy: gray (label gray=true, one cluster at a time, 60 s
 * soak, AUTO), bj (idc=bj, all at once, no soak, MANUAL), rest (empty selector). Revision 1 to 2;
 * deadline 100 s; ready floor 50%.
 */
class RolloutStateMachineTest {
    private static final App.Stage GRAY =
            new App.Stage("gray", Map.of("gray", "true"), 1, 60, App.Gate.AUTO);
    private static final App.Stage BJ =
            new App.Stage("bj", Map.of("idc", "bj"), 0, 0, App.Gate.MANUAL);
    private static final App.Stage REST = new App.Stage("rest", Map.of(), 0, 0, App.Gate.AUTO);

    private static App.Rollout strategy(App.OnFailure onFailure) {
        return new App.Rollout(List.of(GRAY, BJ, REST), 1, 0, onFailure, 100, 50);
    }

    private static AppRollout rollout(
            AppRollout.State state, RolloutProgress p, App.OnFailure onFailure) {
        return new AppRollout(
                7, 1, "shop", "web", 1, 2, state, strategy(onFailure), p, "", "t", 1, 0, 0);
    }

    private static AppRollout progressing(RolloutProgress p) {
        return rollout(AppRollout.State.PROGRESSING, p, App.OnFailure.PAUSE);
    }

    private static RolloutProgress progress(
            int stage, Map<String, Long> started, Map<String, Long> finished, long readySince) {
        return new RolloutProgress(stage, started, finished, readySince, false, Map.of(), "");
    }

    /**
     * A cluster of {@code stage} with 4 desired replicas that reports {@code revision}, all ready
     * ({@code ready} of them).
     */
    private static ClusterView cluster(String name, int stage, long revision, int ready) {
        return new ClusterView(
                name, stage, 4, new RolloutProgress.Observed(revision, 4, ready, ready, ready));
    }

    private static ClusterView silent(String name, int stage) {
        return new ClusterView(name, stage, 4, null);
    }

    static Stream<Arguments> stageOf() {
        return Stream.of(
                Arguments.of("gray label: first stage", Map.of("gray", "true", "idc", "bj"), 0),
                Arguments.of("idc=bj: second stage", Map.of("idc", "bj"), 1),
                Arguments.of("anything else: the empty selector's stage", Map.of("idc", "sh"), 2),
                Arguments.of("no labels: the rest", Map.of(), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void stageOf(String why, Map<String, String> labels, int stage) {
        assertThat(RolloutStateMachine.stageOf(List.of(GRAY, BJ, REST), labels)).isEqualTo(stage);
    }

    @Test
    @DisplayName("a cluster no stage matches goes with the last stage")
    void unmatchedGoesLast() {
        assertThat(RolloutStateMachine.stageOf(List.of(GRAY, BJ), Map.of("idc", "sh")))
                .isEqualTo(1);
    }

    static Stream<Arguments> onNewRevision() {
        RolloutProgress atBj = progress(1, Map.of("g1", 5L, "b1", 9L), Map.of("g1", 6L), 0);
        return Stream.of(
                Arguments.of(
                        "a started cluster", AppRollout.State.PROGRESSING, atBj, "b1", 1, true),
                Arguments.of(
                        "a cluster of a passed stage, never started (a failover)",
                        AppRollout.State.PROGRESSING,
                        atBj,
                        "g9",
                        0,
                        true),
                Arguments.of(
                        "a cluster of the current stage not started yet",
                        AppRollout.State.PROGRESSING,
                        atBj,
                        "b2",
                        1,
                        false),
                Arguments.of(
                        "a cluster of a later stage",
                        AppRollout.State.PAUSED,
                        atBj,
                        "r1",
                        2,
                        false),
                Arguments.of(
                        "a started cluster stays new while paused",
                        AppRollout.State.PAUSED,
                        atBj,
                        "g1",
                        0,
                        true),
                Arguments.of(
                        "aborted: every cluster runs the old revision",
                        AppRollout.State.ABORTED,
                        atBj,
                        "g1",
                        0,
                        false),
                Arguments.of(
                        "completed: every cluster runs the new revision",
                        AppRollout.State.COMPLETED,
                        atBj,
                        "r1",
                        2,
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void onNewRevision(
            String why,
            AppRollout.State state,
            RolloutProgress p,
            String cluster,
            int stage,
            boolean expected) {
        assertThat(
                        RolloutStateMachine.onNewRevision(
                                rollout(state, p, App.OnFailure.PAUSE), cluster, stage))
                .isEqualTo(expected);
    }

    @Test
    @DisplayName("a stage starts at most max_unavailable_clusters at a time, in name order")
    void startsWithinTheBudget() {
        Result r =
                RolloutStateMachine.step(
                        progressing(RolloutProgress.START),
                        List.of(cluster("g2", 0, 1, 4), cluster("g1", 0, 1, 4), silent("b1", 1)),
                        1_000);
        assertThat(r.state()).isEqualTo(AppRollout.State.PROGRESSING);
        assertThat(r.progress().started()).containsOnlyKeys("g1");
        assertThat(r.progress().stage()).isZero();
    }

    @Test
    @DisplayName("when the rolling cluster finishes, the next one starts")
    void nextWhenFinished() {
        Result r =
                RolloutStateMachine.step(
                        progressing(progress(0, Map.of("g1", 1_000L), Map.of(), 0)),
                        List.of(cluster("g1", 0, 2, 4), cluster("g2", 0, 1, 4)),
                        2_000);
        assertThat(r.progress().started()).containsOnlyKeys("g1", "g2");
        assertThat(r.progress().finished()).containsEntry("g1", 2_000L);
        assertThat(r.progress().readySince()).isZero();
    }

    @Test
    @DisplayName("a cluster is not finished while a replica is not updated, ready and available")
    void notFinishedUntilAllAvailable() {
        ClusterView half = new ClusterView("g1", 0, 4, new RolloutProgress.Observed(2, 4, 4, 4, 3));
        Result r =
                RolloutStateMachine.step(
                        progressing(progress(0, Map.of("g1", 1_000L), Map.of(), 0)),
                        List.of(half, cluster("g2", 0, 1, 4)),
                        2_000);
        assertThat(r.progress().started()).containsOnlyKeys("g1");
        assertThat(r.progress().finished()).isEmpty();
    }

    @Test
    @DisplayName("an all-ready stage soaks for soak_seconds, then an AUTO gate passes")
    void soakThenPass() {
        List<ClusterView> done = List.of(cluster("g1", 0, 2, 4), silent("b1", 1));
        AppRollout r0 = progressing(progress(0, Map.of("g1", 1_000L), Map.of("g1", 2_000L), 0));
        Result soaking = RolloutStateMachine.step(r0, done, 3_000);
        assertThat(soaking.progress().readySince()).isEqualTo(3_000);
        assertThat(soaking.progress().stage()).isZero();
        AppRollout r1 = r0.with(soaking.state(), soaking.progress(), soaking.message(), 3_000);
        Result still = RolloutStateMachine.step(r1, done, 62_999);
        assertThat(still.progress().stage()).isZero();
        Result passed = RolloutStateMachine.step(r1, done, 63_000);
        assertThat(passed.progress().stage()).isEqualTo(1);
        // The next stage's clusters start in the same step.
        assertThat(passed.progress().started()).containsKeys("g1", "b1");
        assertThat(passed.events()).contains("stage gray passed");
    }

    @Test
    @DisplayName("a cluster that stops being ready restarts the soak")
    void soakRestarts() {
        AppRollout r = progressing(progress(0, Map.of("g1", 1_000L), Map.of("g1", 2_000L), 3_000));
        ClusterView dipped =
                new ClusterView("g1", 0, 4, new RolloutProgress.Observed(2, 4, 4, 3, 3));
        Result res = RolloutStateMachine.step(r, List.of(dipped), 30_000);
        assertThat(res.progress().readySince()).isZero();
        assertThat(res.state()).isEqualTo(AppRollout.State.PROGRESSING);
    }

    @Test
    @DisplayName("a MANUAL stage waits for approval once ready, then passes on the next step")
    void manualGate() {
        AppRollout atBj =
                progressing(progress(1, Map.of("g1", 1L, "b1", 5L), Map.of("g1", 2L, "b1", 6L), 0));
        List<ClusterView> cs =
                List.of(cluster("g1", 0, 2, 4), cluster("b1", 1, 2, 4), silent("r1", 2));
        Result waiting = RolloutStateMachine.step(atBj, cs, 10_000);
        assertThat(waiting.state()).isEqualTo(AppRollout.State.WAITING_APPROVAL);
        assertThat(waiting.progress().stage()).isEqualTo(1);
        AppRollout w = atBj.with(waiting.state(), waiting.progress(), waiting.message(), 10_000);
        // Waiting again changes nothing.
        assertThat(RolloutStateMachine.step(w, cs, 11_000).changed(w)).isFalse();
        assertThatThrownBy(() -> RolloutStateMachine.approve(w, "gray"))
                .isInstanceOf(FedplaneException.class)
                .hasMessageContaining("waits at stage bj");
        Result approved = RolloutStateMachine.approve(w, "bj");
        assertThat(approved.state()).isEqualTo(AppRollout.State.PROGRESSING);
        AppRollout a = w.with(approved.state(), approved.progress(), approved.message(), 12_000);
        Result next = RolloutStateMachine.step(a, cs, 12_000);
        assertThat(next.progress().stage()).isEqualTo(2);
        assertThat(next.progress().approved()).isFalse();
        assertThat(next.progress().started()).containsKey("r1");
    }

    @Test
    @DisplayName("a stage without clusters of the app passes at once; after the last, COMPLETED")
    void emptyStagesAndCompletion() {
        AppRollout r =
                progressing(progress(0, Map.of("r1", 1L), Map.of(), 0)); // nothing in gray or bj
        Result res = RolloutStateMachine.step(r, List.of(cluster("r1", 2, 2, 4)), 5_000);
        assertThat(res.state()).isEqualTo(AppRollout.State.COMPLETED);
        assertThat(res.progress().stage()).isEqualTo(3);
        assertThat(res.events())
                .contains(
                        "stage gray has no cluster of the app: passed",
                        "stage bj has no cluster of the app: passed",
                        "stage rest passed");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(
                        "past the deadline, PAUSE",
                        App.OnFailure.PAUSE,
                        new ClusterView("g1", 0, 4, new RolloutProgress.Observed(2, 4, 2, 4, 4)),
                        Map.<String, Long>of(),
                        AppRollout.State.PAUSED,
                        false,
                        "did not finish within 100 s"),
                Arguments.of(
                        "past the deadline, ROLLBACK",
                        App.OnFailure.ROLLBACK,
                        silent("g1", 0),
                        Map.<String, Long>of(),
                        AppRollout.State.ROLLED_BACK,
                        true,
                        "did not finish within 100 s"),
                Arguments.of(
                        "a finished cluster below the ready floor",
                        App.OnFailure.PAUSE,
                        new ClusterView("g1", 0, 4, new RolloutProgress.Observed(2, 4, 4, 1, 1)),
                        Map.of("g1", 2_000L),
                        AppRollout.State.PAUSED,
                        false,
                        "has 1 ready of 4, below 50%"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void failures(
            String why,
            App.OnFailure onFailure,
            ClusterView g1,
            Map<String, Long> finished,
            AppRollout.State state,
            boolean rollback,
            String message) {
        AppRollout r =
                rollout(
                        AppRollout.State.PROGRESSING,
                        progress(0, Map.of("g1", 1_000L), finished, 0),
                        onFailure);
        Result res = RolloutStateMachine.step(r, List.of(g1), 101_001);
        assertThat(res.state()).isEqualTo(state);
        assertThat(res.rollback()).isEqualTo(rollback);
        assertThat(res.message()).contains(message);
        assertThat(res.progress().failedCluster()).isEqualTo("g1");
    }

    @Test
    @DisplayName("within the deadline nothing fails")
    void withinDeadline() {
        AppRollout r = progressing(progress(0, Map.of("g1", 1_000L), Map.of(), 0));
        Result res = RolloutStateMachine.step(r, List.of(silent("g1", 0)), 101_000);
        assertThat(res.state()).isEqualTo(AppRollout.State.PROGRESSING);
    }

    @Test
    @DisplayName("resume gives the unfinished clusters a fresh deadline and forgets the failure")
    void resume() {
        AppRollout failed =
                rollout(
                        AppRollout.State.PAUSED,
                        new RolloutProgress(
                                0,
                                Map.of("g1", 1_000L, "g2", 1_000L),
                                Map.of("g2", 2_000L),
                                0,
                                false,
                                Map.of(),
                                "g1"),
                        App.OnFailure.PAUSE);
        Result res = RolloutStateMachine.resume(failed, 500_000);
        assertThat(res.state()).isEqualTo(AppRollout.State.PROGRESSING);
        assertThat(res.progress().started())
                .containsEntry("g1", 500_000L)
                .containsEntry("g2", 1_000L);
        assertThat(res.progress().failedCluster()).isEmpty();
    }

    static Stream<Arguments> refusedActions() {
        return Stream.of(
                Arguments.of("pause", AppRollout.State.PAUSED),
                Arguments.of("pause", AppRollout.State.COMPLETED),
                Arguments.of("resume", AppRollout.State.PROGRESSING),
                Arguments.of("approve", AppRollout.State.PROGRESSING),
                Arguments.of("abort", AppRollout.State.ABORTED),
                Arguments.of("abort", AppRollout.State.SUPERSEDED));
    }

    @ParameterizedTest(name = "{0} is refused when {1}")
    @MethodSource
    void refusedActions(String action, AppRollout.State state) {
        AppRollout r = rollout(state, RolloutProgress.START, App.OnFailure.PAUSE);
        assertThatThrownBy(
                        () -> {
                            switch (action) {
                                case "pause" -> RolloutStateMachine.pause(r);
                                case "resume" -> RolloutStateMachine.resume(r, 0);
                                case "approve" -> RolloutStateMachine.approve(r, "");
                                default -> RolloutStateMachine.abort(r);
                            }
                        })
                .isInstanceOf(FedplaneException.class)
                .hasMessageContaining("it is " + state);
    }

    @Test
    @DisplayName("a paused rollout only records what the agents report")
    void pausedOnlyObserves() {
        AppRollout r =
                rollout(
                        AppRollout.State.PAUSED,
                        progress(0, Map.of("g1", 1L), Map.of(), 0),
                        App.OnFailure.PAUSE);
        Result res = RolloutStateMachine.step(r, List.of(cluster("g1", 0, 2, 4)), 999_999);
        assertThat(res.state()).isEqualTo(AppRollout.State.PAUSED);
        assertThat(res.progress().started()).containsOnlyKeys("g1");
        assertThat(res.progress().observed()).containsKey("g1");
    }

    @Test
    @DisplayName("the revision plan sends the old template where the rollout has not arrived")
    void revisionPlan() {
        AppRollout r = progressing(progress(1, Map.of("b1", 5L), Map.of(), 0));
        App.Spec spec =
                new App.Spec(
                        "web:2",
                        4,
                        100,
                        128,
                        List.of(),
                        List.of(),
                        null,
                        List.of(),
                        strategy(App.OnFailure.PAUSE));
        dev.fedplane.controlplane.app.PodTemplate old =
                new dev.fedplane.controlplane.app.PodTemplate("web:1", 100, 128, null, null);
        RevisionPlan plan =
                RevisionPlan.of(
                        2,
                        spec,
                        r,
                        old,
                        Map.of(
                                "g1", Map.of("gray", "true"),
                                "b1", Map.of("idc", "bj"),
                                "b2", Map.of("idc", "bj"),
                                "r1", Map.of()));
        assertThat(plan.revisionOn("g1")).isEqualTo(2);
        assertThat(plan.revisionOn("b1")).isEqualTo(2);
        assertThat(plan.revisionOn("b2")).isEqualTo(1);
        assertThat(plan.revisionOn("r1")).isEqualTo(1);
        assertThat(plan.maxSurge()).isEqualTo(1);
        // A rollout of another revision plans nothing.
        assertThat(RevisionPlan.of(3, spec, r, old, Map.of("r1", Map.of())).revisionOn("r1"))
                .isEqualTo(3);
    }
}
