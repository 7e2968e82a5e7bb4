package dev.fedplane.controlplane.burst;

import java.time.Instant;

/**
 * The plan's state machine, pure: given where a plan is and the time, what the runner does next.
 *
 * <pre>
 *   PLANNED --start--> RAMPING --last step--> ACTIVE --end--> SCALING_BACK --> DONE
 *      |                  |  \________end or cancel_______/        |
 *      |                  |                                        +--(cancelled)--> CANCELLED
 *      +--cancel--> CANCELLED        PLANNED --window passed unseen--> FAILED
 * </pre>
 *
 * Ramp step {@code k} (1-based) is due at {@code start + (k-1) x rampStep}; a runner that was away
 * applies the latest due step directly (the counts are absolute, so no step is applied twice).
 */
public final class BurstStateMachine {
    private BurstStateMachine() {}

    public enum Action {
        /** Nothing to do now. */
        WAIT,
        /** The window passed before any leader started the plan. */
        FAIL_MISSED,
        /** Apply ramp step {@link Next#step()} (the first one starts the plan). */
        STEP,
        /** Every step is applied: the plan is at its peak. */
        ACTIVATE,
        /** Scale back (the window ended, or the plan was cancelled). */
        SCALE_BACK
    }

    public record Next(Action action, int step, String reason) {}

    /** The number of steps of a window (at least one). */
    public static int steps(BurstPlan.Window w) {
        return Math.max(1, w.rampSteps());
    }

    /** The latest ramp step due at {@code now} (0 before the start). */
    public static int dueStep(BurstPlan.Window w, long now) {
        if (now < w.start()) {
            return 0;
        }
        int n = steps(w);
        if (n == 1 || w.rampStepMillis() <= 0) {
            return n;
        }
        long k = 1 + (now - w.start()) / w.rampStepMillis();
        return (int) Math.min(n, k);
    }

    /**
     * The replica count of ramp step {@code k} of {@code steps}, from {@code original} to {@code
     * peak}.
     */
    public static int replicasAt(int original, int peak, int k, int steps) {
        if (k >= steps) {
            return peak;
        }
        if (k <= 0) {
            return original;
        }
        long delta = (long) (peak - original) * k;
        long part = delta >= 0 ? (delta + steps - 1) / steps : -((-delta) / steps);
        return (int) (original + part);
    }

    public static Next next(
            BurstPlan.State state,
            BurstPlan.Window w,
            int stepsApplied,
            boolean cancelRequested,
            long now) {
        switch (state) {
            case PLANNED -> {
                if (cancelRequested) {
                    return new Next(Action.SCALE_BACK, 0, "cancelled");
                }
                if (now < w.start()) {
                    return new Next(Action.WAIT, 0, "");
                }
                if (now >= w.end()) {
                    return new Next(
                            Action.FAIL_MISSED,
                            0,
                            "the window ended at "
                                    + Instant.ofEpochMilli(w.end())
                                    + " before a leader could start the plan");
                }
                return new Next(Action.STEP, dueStep(w, now), "the window started");
            }
            case RAMPING, ACTIVE -> {
                if (cancelRequested) {
                    return new Next(Action.SCALE_BACK, 0, "cancelled");
                }
                if (now >= w.end()) {
                    return new Next(
                            Action.SCALE_BACK,
                            0,
                            "the window ended at " + Instant.ofEpochMilli(w.end()));
                }
                int due = dueStep(w, now);
                if (stepsApplied < due) {
                    return new Next(Action.STEP, due, "ramp step " + due + " is due");
                }
                if (state == BurstPlan.State.RAMPING && stepsApplied >= steps(w)) {
                    return new Next(Action.ACTIVATE, stepsApplied, "at the peak");
                }
                return new Next(Action.WAIT, 0, "");
            }
            case SCALING_BACK -> {
                return new Next(Action.SCALE_BACK, 0, "scaling back");
            }
            default -> {
                return new Next(Action.WAIT, 0, "");
            }
        }
    }
}
