package dev.fedplane.controlplane.burst;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.burst.BurstStateMachine.Action;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BurstStateMachineTest {
    /** Starts at 1,000, ends at 10,000; 3 steps, 1,000 apart (due at 1,000, 2,000 and 3,000). */
    private static final BurstPlan.Window W = new BurstPlan.Window(1_000, 10_000, 3, 1_000);

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(
                        "a plan waits for its window",
                        BurstPlan.State.PLANNED,
                        0,
                        false,
                        999,
                        Action.WAIT,
                        0),
                Arguments.of(
                        "at the start the first step is due",
                        BurstPlan.State.PLANNED,
                        0,
                        false,
                        1_000,
                        Action.STEP,
                        1),
                Arguments.of(
                        "a runner that was away applies the latest due step at once",
                        BurstPlan.State.PLANNED,
                        0,
                        false,
                        2_500,
                        Action.STEP,
                        2),
                Arguments.of(
                        "a window that passed unseen fails the plan",
                        BurstPlan.State.PLANNED,
                        0,
                        false,
                        10_000,
                        Action.FAIL_MISSED,
                        0),
                Arguments.of(
                        "a ramping plan waits between steps",
                        BurstPlan.State.RAMPING,
                        1,
                        false,
                        1_999,
                        Action.WAIT,
                        0),
                Arguments.of(
                        "the next step comes at its time",
                        BurstPlan.State.RAMPING,
                        1,
                        false,
                        2_000,
                        Action.STEP,
                        2),
                Arguments.of(
                        "a step already applied is not applied again",
                        BurstPlan.State.RAMPING,
                        2,
                        false,
                        2_999,
                        Action.WAIT,
                        0),
                Arguments.of(
                        "after the last step the plan is active",
                        BurstPlan.State.RAMPING,
                        3,
                        false,
                        3_500,
                        Action.ACTIVATE,
                        3),
                Arguments.of(
                        "an active plan waits for the end",
                        BurstPlan.State.ACTIVE,
                        3,
                        false,
                        9_999,
                        Action.WAIT,
                        0),
                Arguments.of(
                        "at the end it scales back",
                        BurstPlan.State.ACTIVE,
                        3,
                        false,
                        10_000,
                        Action.SCALE_BACK,
                        0),
                Arguments.of(
                        "the end comes before unfinished ramp steps",
                        BurstPlan.State.RAMPING,
                        1,
                        false,
                        10_000,
                        Action.SCALE_BACK,
                        0),
                Arguments.of(
                        "a cancel scales back a ramping plan",
                        BurstPlan.State.RAMPING,
                        1,
                        true,
                        1_500,
                        Action.SCALE_BACK,
                        0),
                Arguments.of(
                        "a cancel scales back an active plan",
                        BurstPlan.State.ACTIVE,
                        3,
                        true,
                        5_000,
                        Action.SCALE_BACK,
                        0),
                Arguments.of(
                        "scaling back goes on until done",
                        BurstPlan.State.SCALING_BACK,
                        3,
                        false,
                        20_000,
                        Action.SCALE_BACK,
                        0),
                Arguments.of(
                        "a finished plan does nothing",
                        BurstPlan.State.DONE,
                        3,
                        false,
                        20_000,
                        Action.WAIT,
                        0),
                Arguments.of(
                        "a cancelled plan does nothing",
                        BurstPlan.State.CANCELLED,
                        1,
                        true,
                        20_000,
                        Action.WAIT,
                        0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void next(
            String name,
            BurstPlan.State state,
            int applied,
            boolean cancel,
            long now,
            Action action,
            int step) {
        BurstStateMachine.Next n = BurstStateMachine.next(state, W, applied, cancel, now);
        assertThat(n.action()).isEqualTo(action);
        if (action == Action.STEP || action == Action.ACTIVATE) {
            assertThat(n.step()).isEqualTo(step);
        }
    }

    @Test
    @DisplayName(
            "ramp counts go from the original to the peak in equal steps, rounded toward the peak")
    void rampCounts() {
        // 8 -> 20 in 3 steps: +12 x 1/3 = 4, x 2/3 = 8, then the peak.
        assertThat(BurstStateMachine.replicasAt(8, 20, 1, 3)).isEqualTo(12);
        assertThat(BurstStateMachine.replicasAt(8, 20, 2, 3)).isEqualTo(16);
        assertThat(BurstStateMachine.replicasAt(8, 20, 3, 3)).isEqualTo(20);
        // 4 -> 9 in 2 steps: +5 / 2 = 2.5, rounded up to 3.
        assertThat(BurstStateMachine.replicasAt(4, 9, 1, 2)).isEqualTo(7);
        // Down (a peak below the original): rounded toward the peak too.
        assertThat(BurstStateMachine.replicasAt(10, 5, 1, 2)).isEqualTo(8);
        assertThat(BurstStateMachine.replicasAt(8, 20, 0, 3)).isEqualTo(8);
    }

    @Test
    @DisplayName("one step (or none given) reaches the peak at the start")
    void oneStep() {
        BurstPlan.Window w = new BurstPlan.Window(1_000, 10_000, 0, 0);
        assertThat(BurstStateMachine.steps(w)).isEqualTo(1);
        assertThat(BurstStateMachine.dueStep(w, 1_000)).isEqualTo(1);
        assertThat(BurstStateMachine.dueStep(w, 999)).isZero();
    }

    @Test
    @DisplayName("a multiplier rounds the peak up; a glob matches app names")
    void targets() {
        assertThat(new BurstPlan.Target("t", "", "", null, 1.5).peakOf(5)).isEqualTo(8);
        assertThat(new BurstPlan.Target("t", "", "", null, 2.0).peakOf(4)).isEqualTo(8);
        assertThat(new BurstPlan.Target("t", "", "api-*", 3, null).matches("api-east")).isTrue();
        assertThat(new BurstPlan.Target("t", "", "api-*", 3, null).matches("web")).isFalse();
        assertThat(new BurstPlan.Target("t", "", "", 3, null).matches("anything")).isTrue();
    }
}
