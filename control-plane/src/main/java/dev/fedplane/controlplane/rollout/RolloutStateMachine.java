package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.common.FedplaneException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of a staged rollout, pure: no I/O, no clock (the caller passes {@code now}).
 *
 * <p>Stage membership: a cluster belongs to the first stage whose selector matches its labels (an
 * empty selector matches every cluster); one that matches none goes with the last stage. Which
 * revision a cluster runs: the new one when the rollout is not ABORTED and the cluster was started
 * (in any stage) or belongs to a stage before the current one; the old one otherwise. So a cluster
 * the app newly lands on (failover, scale) gets what its stage membership says, from the persisted
 * progress and its labels alone.
 *
 * <p>A step (the runner's, once per tick, for PROGRESSING and WAITING_APPROVAL rollouts): in the
 * current stage, a started cluster that has not finished within the deadline, or one that had
 * finished and whose ready replicas fell below {@code minReadyPercent} of its desired, fails the
 * stage (PAUSED, or a rollback when the strategy says ROLLBACK). Otherwise clusters are started in
 * name order while fewer than {@code maxUnavailableClusters} (0: no limit) of the stage are started
 * and unfinished. When every cluster of the stage is finished (reports the new revision with every
 * desired replica updated, ready and available), the soak starts; after {@code soakSeconds} an AUTO
 * stage passes, a MANUAL one waits for approval. A stage without clusters of the app passes at
 * once. After the last stage the rollout is COMPLETED.
 */
public final class RolloutStateMachine {
    private RolloutStateMachine() {}

    /** One cluster the app is placed on: its stage, desired replicas and last report (or null). */
    public record ClusterView(
            String name, int stage, int desired, RolloutProgress.Observed observed) {}

    /**
     * What a step decided: the new state, progress and message, what happened, and whether to roll
     * back.
     */
    public record Result(
            AppRollout.State state,
            RolloutProgress progress,
            String message,
            List<String> events,
            boolean rollback) {
        public boolean changed(AppRollout r) {
            return state != r.state()
                    || !progress.equals(r.progress())
                    || !message.equals(r.message());
        }
    }

    /** The index of the stage {@code labels} belong to. */
    public static int stageOf(List<App.Stage> stages, Map<String, String> labels) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).matches(labels)) {
                return i;
            }
        }
        return Math.max(0, stages.size() - 1);
    }

    /** Whether a cluster of stage {@code stage} is sent the rollout's new revision. */
    public static boolean onNewRevision(AppRollout r, String cluster, int stage) {
        if (r.state() == AppRollout.State.ABORTED) {
            return false;
        }
        if (!r.state().plans()) {
            return true;
        }
        return r.progress().started().containsKey(cluster) || stage < r.progress().stage();
    }

    /** Finished: reports the new revision, and every desired replica updated, ready, available. */
    static boolean finished(long toRevision, ClusterView c) {
        RolloutProgress.Observed o = c.observed();
        return o != null
                && o.revision() == toRevision
                && o.desired() == c.desired()
                && o.updated() >= c.desired()
                && o.ready() >= c.desired()
                && o.available() >= c.desired();
    }

    /** The fewest ready replicas a finished cluster may have; 0 when there is no floor. */
    static int readyFloor(App.Rollout s, int desired) {
        return s.minReadyPercent() <= 0 ? 0 : (desired * s.minReadyPercent() + 99) / 100;
    }

    /** One step of a PROGRESSING or WAITING_APPROVAL rollout; anything else stays as it is. */
    public static Result step(AppRollout r, List<ClusterView> clusters, long now) {
        RolloutProgress p = r.progress();
        Map<String, RolloutProgress.Observed> observed = new HashMap<>();
        for (ClusterView c : clusters) {
            if (c.observed() != null) {
                observed.put(c.name(), c.observed());
            }
        }
        if (r.state() != AppRollout.State.PROGRESSING
                && r.state() != AppRollout.State.WAITING_APPROVAL) {
            return new Result(r.state(), withObserved(p, observed), r.message(), List.of(), false);
        }
        App.Rollout s = r.strategy();
        List<App.Stage> stages = s.stages();
        int stage = p.stage();
        Map<String, Long> started = new HashMap<>(p.started());
        Map<String, Long> finished = new HashMap<>(p.finished());
        long readySince = p.readySince();
        boolean approved = p.approved();
        AppRollout.State state = r.state();
        String message = r.message();
        List<String> events = new ArrayList<>();
        while (stage < stages.size()) {
            App.Stage st = stages.get(stage);
            final int current = stage;
            List<ClusterView> mine =
                    clusters.stream()
                            .filter(c -> c.stage() == current)
                            .sorted(java.util.Comparator.comparing(ClusterView::name))
                            .toList();
            // Failures first.
            for (ClusterView c : mine) {
                Long since = started.get(c.name());
                if (since == null) {
                    continue;
                }
                boolean done = finished(r.toRevision(), c);
                if (!done && !finished.containsKey(c.name()) && now - since > s.deadlineMillis()) {
                    return fail(
                            r,
                            p,
                            observed,
                            started,
                            finished,
                            stage,
                            c.name(),
                            "cluster "
                                    + c.name()
                                    + " did not finish within "
                                    + s.deadlineMillis() / 1000
                                    + " s (stage "
                                    + st.name()
                                    + ")",
                            events);
                }
                int floor = readyFloor(s, c.desired());
                int ready = c.observed() == null ? 0 : c.observed().ready();
                if (finished.containsKey(c.name()) && floor > 0 && ready < floor) {
                    return fail(
                            r,
                            p,
                            observed,
                            started,
                            finished,
                            stage,
                            c.name(),
                            "cluster "
                                    + c.name()
                                    + " has "
                                    + ready
                                    + " ready of "
                                    + c.desired()
                                    + ", below "
                                    + s.minReadyPercent()
                                    + "% (stage "
                                    + st.name()
                                    + ")",
                            events);
                }
                if (done && !finished.containsKey(c.name())) {
                    finished.put(c.name(), now);
                    events.add("cluster " + c.name() + " finished revision " + r.toRevision());
                }
            }
            // Start what the stage's budget allows.
            int rolling = 0;
            for (ClusterView c : mine) {
                if (started.containsKey(c.name()) && !finished(r.toRevision(), c)) {
                    rolling++;
                }
            }
            for (ClusterView c : mine) {
                if (started.containsKey(c.name())) {
                    continue;
                }
                if (st.maxUnavailableClusters() > 0 && rolling >= st.maxUnavailableClusters()) {
                    break;
                }
                started.put(c.name(), now);
                rolling++;
                events.add(
                        "cluster "
                                + c.name()
                                + " gets revision "
                                + r.toRevision()
                                + " (stage "
                                + st.name()
                                + ")");
            }
            boolean allDone =
                    mine.stream()
                            .allMatch(
                                    c ->
                                            started.containsKey(c.name())
                                                    && finished(r.toRevision(), c));
            if (!allDone) {
                readySince = 0;
                if (state == AppRollout.State.WAITING_APPROVAL) {
                    state = AppRollout.State.PROGRESSING;
                    message = "stage " + st.name() + " is no longer all ready";
                }
                break;
            }
            if (!mine.isEmpty()) {
                if (readySince == 0) {
                    readySince = now;
                }
                if (now - readySince < st.soakSeconds() * 1000) {
                    message = "stage " + st.name() + " is soaking";
                    break;
                }
                if (st.gate() == App.Gate.MANUAL && !approved) {
                    if (state != AppRollout.State.WAITING_APPROVAL) {
                        events.add("stage " + st.name() + " waits for approval");
                    }
                    state = AppRollout.State.WAITING_APPROVAL;
                    message = "stage " + st.name() + " waits for approval";
                    break;
                }
            }
            events.add(
                    mine.isEmpty()
                            ? "stage " + st.name() + " has no cluster of the app: passed"
                            : "stage " + st.name() + " passed");
            stage++;
            readySince = 0;
            approved = false;
            state = AppRollout.State.PROGRESSING;
            message = stage < stages.size() ? "stage " + stages.get(stage).name() : "";
        }
        if (stage >= stages.size()) {
            state = AppRollout.State.COMPLETED;
            message = "every stage passed";
            events.add("rollout to revision " + r.toRevision() + " completed");
        }
        return new Result(
                state,
                new RolloutProgress(
                        stage,
                        started,
                        finished,
                        readySince,
                        approved,
                        observed,
                        p.failedCluster()),
                message,
                events,
                false);
    }

    private static Result fail(
            AppRollout r,
            RolloutProgress p,
            Map<String, RolloutProgress.Observed> observed,
            Map<String, Long> started,
            Map<String, Long> finished,
            int stage,
            String cluster,
            String why,
            List<String> events) {
        boolean rollback = r.strategy().onFailure() == App.OnFailure.ROLLBACK;
        events.add("stage failed: " + why + (rollback ? "; rolling back" : "; paused"));
        return new Result(
                rollback ? AppRollout.State.ROLLED_BACK : AppRollout.State.PAUSED,
                new RolloutProgress(stage, started, finished, 0, p.approved(), observed, cluster),
                why,
                events,
                rollback);
    }

    private static RolloutProgress withObserved(
            RolloutProgress p, Map<String, RolloutProgress.Observed> observed) {
        return new RolloutProgress(
                p.stage(),
                p.started(),
                p.finished(),
                p.readySince(),
                p.approved(),
                observed,
                p.failedCluster());
    }

    // ---------------------------------------------------------------- user actions

    public static Result pause(AppRollout r) {
        requireState(r, "pause", AppRollout.State.PROGRESSING, AppRollout.State.WAITING_APPROVAL);
        return new Result(
                AppRollout.State.PAUSED,
                r.progress(),
                "paused by a user",
                List.of("paused"),
                false);
    }

    /**
     * PAUSED to PROGRESSING; the unfinished clusters of the current stage get a fresh deadline and
     * a failure is forgotten.
     */
    public static Result resume(AppRollout r, long now) {
        requireState(r, "resume", AppRollout.State.PAUSED);
        RolloutProgress p = r.progress();
        Map<String, Long> started = new HashMap<>(p.started());
        for (Map.Entry<String, Long> e : started.entrySet()) {
            if (!p.finished().containsKey(e.getKey())) {
                e.setValue(now);
            }
        }
        Map<String, Long> finished = new HashMap<>(p.finished());
        if (!p.failedCluster().isEmpty()) {
            finished.remove(p.failedCluster());
        }
        return new Result(
                AppRollout.State.PROGRESSING,
                new RolloutProgress(
                        p.stage(), started, finished, 0, p.approved(), p.observed(), ""),
                "resumed",
                List.of("resumed"),
                false);
    }

    /** Passes the current stage's gate; {@code stage} (when non-empty) must be the current one. */
    public static Result approve(AppRollout r, String stage) {
        requireState(r, "approve a stage of", AppRollout.State.WAITING_APPROVAL);
        RolloutProgress p = r.progress();
        String current = r.strategy().stages().get(p.stage()).name();
        if (!stage.isEmpty() && !stage.equals(current)) {
            throw FedplaneException.failedPrecondition(
                    "the rollout waits at stage " + current + ", not " + stage);
        }
        return new Result(
                AppRollout.State.PROGRESSING,
                new RolloutProgress(
                        p.stage(),
                        p.started(),
                        p.finished(),
                        p.readySince(),
                        true,
                        p.observed(),
                        p.failedCluster()),
                "stage " + current + " approved",
                List.of("stage " + current + " approved"),
                false);
    }

    /** Stops the rollout: every cluster runs the old revision again. */
    public static Result abort(AppRollout r) {
        requireState(
                r,
                "abort",
                AppRollout.State.PROGRESSING,
                AppRollout.State.WAITING_APPROVAL,
                AppRollout.State.PAUSED);
        return new Result(
                AppRollout.State.ABORTED,
                r.progress(),
                "aborted by a user: every cluster runs revision " + r.fromRevision(),
                List.of("aborted"),
                false);
    }

    private static void requireState(AppRollout r, String what, AppRollout.State... allowed) {
        for (AppRollout.State s : allowed) {
            if (r.state() == s) {
                return;
            }
        }
        throw FedplaneException.failedPrecondition(
                "cannot " + what + " rollout " + r.id() + ": it is " + r.state());
    }
}
