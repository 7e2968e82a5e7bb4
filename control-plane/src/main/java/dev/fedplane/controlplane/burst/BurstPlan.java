package dev.fedplane.controlplane.burst;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.ArrayList;
import java.util.List;

/**
 * A peak event: its spec (what the planner asked for), its state with the reason, and its progress
 * (what the runner has done, durable so that a new leader resumes it). Immutable.
 */
public record BurstPlan(
        String name,
        Spec spec,
        State state,
        String reason,
        Progress progress,
        boolean cancelRequested,
        String createdBy,
        long resourceVersion,
        long createdAt,
        long updatedAt) {

    public enum State {
        PLANNED,
        RAMPING,
        ACTIVE,
        SCALING_BACK,
        DONE,
        CANCELLED,
        FAILED;

        public boolean finished() {
            return this == DONE || this == CANCELLED || this == FAILED;
        }
    }

    /**
     * {@code start}/{@code end} in epoch millis; the targets reach their peak in {@code rampSteps}
     * steps (at least 1), one every {@code rampStepMillis} from the start.
     */
    public record Window(long start, long end, int rampSteps, long rampStepMillis) {}

    /**
     * One of: {@code app} set (one app), {@code appPattern} set (a name glob), neither (every app
     * of the tenant). One of {@code peakReplicas} and {@code multiplier}.
     */
    public record Target(
            String tenant, String app, String appPattern, Integer peakReplicas, Double multiplier) {
        public Target {
            app = app == null ? "" : app;
            appPattern = appPattern == null ? "" : appPattern;
        }

        /** The peak count of an app whose pre-event count is {@code original}. */
        public int peakOf(int original) {
            if (peakReplicas != null) {
                return peakReplicas;
            }
            return (int) Math.min(100_000, Math.ceil(original * multiplier - 1e-9));
        }

        public boolean matches(String appName) {
            if (!app.isEmpty()) {
                return app.equals(appName);
            }
            if (!appPattern.isEmpty()) {
                return glob(appPattern, appName);
            }
            return true;
        }

        static boolean glob(String pattern, String s) {
            StringBuilder re = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                re.append(
                        c == '*'
                                ? ".*"
                                : c == '?'
                                        ? "."
                                        : java.util.regex.Pattern.quote(String.valueOf(c)));
            }
            return s.matches(re.toString());
        }
    }

    /** A null field is no limit. */
    public record Budget(Integer maxCloudReplicas, Double maxCloudCostPerHour) {
        public static final Budget NONE = new Budget(null, null);
    }

    public record Spec(
            Window window,
            List<Target> targets,
            ClusterSelector cloudClusters,
            Budget budget,
            boolean raiseTenantQuotas) {
        public Spec {
            targets = targets == null ? List.of() : List.copyOf(targets);
            cloudClusters = cloudClusters == null ? ClusterSelector.ALL : cloudClusters;
            budget = budget == null ? Budget.NONE : budget;
        }
    }

    /**
     * One target app. {@code originalReplicas}/{@code originalPolicy}: before the event, recorded
     * once, before the first change. {@code appliedReplicas}: what the runner last set (the
     * original before any step); {@code intendedReplicas}: what it is about to set (written before
     * the app is changed, so a crash between the two is recognised). {@code appliedPolicyHash}: the
     * policy the runner last set, so the original is restored only where nobody changed it.
     */
    public record TargetProgress(
            String tenant,
            String app,
            int originalReplicas,
            App.Policy originalPolicy,
            int peakReplicas,
            int appliedReplicas,
            int intendedReplicas,
            String appliedPolicyHash,
            int cloudReplicas,
            double cloudCostPerHour,
            boolean userOwned,
            String skippedReason,
            boolean restored) {
        public TargetProgress {
            skippedReason = skippedReason == null ? "" : skippedReason;
            appliedPolicyHash = appliedPolicyHash == null ? "" : appliedPolicyHash;
        }

        public boolean skipped() {
            return !skippedReason.isEmpty();
        }

        /** Whether the runner changed this app (so there is something to scale back). */
        public boolean changed() {
            return !appliedPolicyHash.isEmpty();
        }
    }

    /** A tenant whose quota the plan raised: the quota before and the one the plan set. */
    public record QuotaProgress(
            String tenant, Tenant.Quota original, Tenant.Quota raised, boolean restored) {}

    /**
     * {@code stepsApplied} of the spec's steps; {@code scaleBackPhase}: 0 not begun, 1 counts
     * restored (cloud replicas leave first), 2 policies restored, 3 quotas restored.
     */
    public record Progress(
            int stepsApplied,
            List<TargetProgress> targets,
            List<QuotaProgress> quotas,
            int scaleBackPhase,
            int waitTicks) {
        public static final Progress NONE = new Progress(0, List.of(), List.of(), 0, 0);

        public Progress {
            targets = targets == null ? List.of() : List.copyOf(targets);
            quotas = quotas == null ? List.of() : List.copyOf(quotas);
        }

        public int cloudReplicas() {
            return targets.stream().mapToInt(TargetProgress::cloudReplicas).sum();
        }

        public double cloudCostPerHour() {
            return targets.stream().mapToDouble(TargetProgress::cloudCostPerHour).sum();
        }

        public Progress withTargets(List<TargetProgress> t) {
            return new Progress(stepsApplied, t, quotas, scaleBackPhase, waitTicks);
        }

        public Progress withTarget(TargetProgress t) {
            List<TargetProgress> list = new ArrayList<>(targets);
            for (int i = 0; i < list.size(); i++) {
                TargetProgress x = list.get(i);
                if (x.tenant().equals(t.tenant()) && x.app().equals(t.app())) {
                    list.set(i, t);
                    return withTargets(list);
                }
            }
            list.add(t);
            return withTargets(list);
        }

        public Progress withQuotas(List<QuotaProgress> q) {
            return new Progress(stepsApplied, targets, q, scaleBackPhase, waitTicks);
        }

        public Progress withStepsApplied(int n) {
            return new Progress(n, targets, quotas, scaleBackPhase, waitTicks);
        }

        public Progress withScaleBackPhase(int p) {
            return new Progress(stepsApplied, targets, quotas, p, 0);
        }

        public Progress withWaitTicks(int w) {
            return new Progress(stepsApplied, targets, quotas, scaleBackPhase, w);
        }
    }

    public record Event(long at, String kind, String message) {}

    public BurstPlan with(State s, String why, Progress p) {
        return new BurstPlan(
                name,
                spec,
                s,
                why,
                p,
                cancelRequested,
                createdBy,
                resourceVersion,
                createdAt,
                updatedAt);
    }
}
