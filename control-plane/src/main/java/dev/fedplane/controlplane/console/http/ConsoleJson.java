package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppRevision;
import dev.fedplane.controlplane.app.AppRevisionService;
import dev.fedplane.controlplane.app.Overrides;
import dev.fedplane.controlplane.app.TemplateDiff;
import dev.fedplane.controlplane.burst.BurstPlan;
import dev.fedplane.controlplane.burst.BurstPlanner;
import dev.fedplane.controlplane.capacity.TenantUsage;
import dev.fedplane.controlplane.capacity.WaterLevel;
import dev.fedplane.controlplane.capacity.WhatIfService;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.console.CapacityHistory;
import dev.fedplane.controlplane.console.ConsoleQueries;
import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.controlplane.rollout.AppRollout;
import dev.fedplane.controlplane.rollout.RolloutService;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of {@code /api/v1}: the only place where domain records become console JSON.
 * Field names are camelCase; quantities are {@code {cpuMillis, memoryMiB, pods}}; times are epoch
 * milliseconds. Fields are only ever added.
 */
final class ConsoleJson {
    private ConsoleJson() {}

    record Session(String tokenId, String role, @Nullable String tenant) {}

    record ClusterJson(
            String name,
            String state,
            Map<String, String> labels,
            List<Cluster.Taint> taints,
            Quantities allocatable,
            Quantities requested,
            Quantities free,
            double costPerCpuHour,
            String agentVersion,
            String kubernetesVersion,
            long lastHeartbeat,
            long resourceVersion) {
        static ClusterJson of(Cluster c) {
            return new ClusterJson(
                    c.name(),
                    c.state().name(),
                    c.labels(),
                    c.taints(),
                    c.allocatable(),
                    c.requested(),
                    c.free(),
                    c.costPerCpuHour(),
                    c.agentVersion(),
                    c.kubernetesVersion(),
                    c.lastHeartbeat(),
                    c.resourceVersion());
        }
    }

    record ClusterList(List<ClusterJson> clusters) {}

    record ClusterDetail(
            ClusterJson cluster,
            List<CapacityHistory.Sample> history,
            List<ConsoleQueries.AppOnCluster> apps) {}

    record AppJson(
            String tenant,
            String name,
            long generation,
            long observedGeneration,
            String image,
            int replicas,
            long cpuMillis,
            long memoryMiB,
            String type,
            int desired,
            int ready,
            int unschedulable,
            String unschedulableReason,
            List<App.ClusterReplicas> clusters,
            List<App.Condition> conditions,
            long resourceVersion,
            long updatedAt) {
        static AppJson of(App a) {
            int desired = 0;
            int ready = 0;
            for (App.ClusterReplicas cr : a.status().clusters()) {
                desired += cr.desired();
                ready += cr.ready();
            }
            return new AppJson(
                    a.tenant(),
                    a.name(),
                    a.generation(),
                    a.status().observedGeneration(),
                    a.spec().image(),
                    a.spec().replicas(),
                    a.spec().cpuMillis(),
                    a.spec().memoryMiB(),
                    a.spec().placement().type().name(),
                    desired,
                    ready,
                    a.status().unschedulable(),
                    a.status().unschedulableReason(),
                    a.status().clusters(),
                    a.status().conditions(),
                    a.resourceVersion(),
                    a.updatedAt());
        }
    }

    record AppList(List<AppJson> apps, String nextPageToken) {}

    /**
     * One app: its status, every cluster's verdict (with the effective spec where the cluster is
     * still registered) and its latest staged rollout (null when it never had one).
     */
    record AppDetail(AppJson app, ExplanationJson explanation, @Nullable RolloutJson rollout) {}

    /** {@link Explanation} with each registered cluster's effective spec ({@code ExplainApp}). */
    record ExplanationJson(
            List<Explanation.Share> placements,
            int unschedulable,
            String unschedulableReason,
            List<DecisionJson> clusters,
            long generation,
            long computedAt) {
        static ExplanationJson of(Explanation e, Map<String, Overrides.Effective> effective) {
            return new ExplanationJson(
                    e.placements(),
                    e.unschedulable(),
                    e.unschedulableReason(),
                    e.clusters().stream()
                            .map(d -> DecisionJson.of(d, effective.get(d.cluster())))
                            .toList(),
                    e.generation(),
                    e.computedAt());
        }
    }

    record DecisionJson(
            String cluster,
            boolean feasible,
            @Nullable String reason,
            long weight,
            long fit,
            double score,
            int replicas,
            String note,
            @Nullable EffectiveJson effective) {
        static DecisionJson of(Explanation.Decision d, @Nullable Overrides.Effective e) {
            return new DecisionJson(
                    d.cluster(),
                    d.feasible(),
                    d.reason(),
                    d.weight(),
                    d.fit(),
                    d.score(),
                    d.replicas(),
                    d.note(),
                    e == null ? null : EffectiveJson.of(e));
        }
    }

    /** The app's spec as one cluster runs it, overrides applied (in the order they applied). */
    record EffectiveJson(
            String image,
            long cpuMillis,
            long memoryMiB,
            List<App.EnvVar> env,
            Map<String, String> labels,
            Map<String, String> annotations,
            int replicasFloor,
            List<String> appliedOverrides) {
        static EffectiveJson of(Overrides.Effective e) {
            return new EffectiveJson(
                    e.image(),
                    e.cpuMillis(),
                    e.memoryMiB(),
                    e.env(),
                    e.labels(),
                    e.annotations(),
                    e.replicasFloor(),
                    e.appliedOverrides());
        }
    }

    // Staged rollouts (RolloutService).

    record StageJson(
            String name,
            Map<String, String> clusterSelector,
            int maxUnavailableClusters,
            long soakSeconds,
            String gate) {}

    record StrategyJson(
            List<StageJson> stages,
            int maxSurge,
            int maxUnavailable,
            String onFailure,
            long progressDeadlineSeconds,
            int minReadyPercent) {
        static StrategyJson of(App.Rollout r) {
            return new StrategyJson(
                    r.stages().stream()
                            .map(
                                    s ->
                                            new StageJson(
                                                    s.name(),
                                                    s.clusterSelector(),
                                                    s.maxUnavailableClusters(),
                                                    s.soakSeconds(),
                                                    s.gate().name()))
                            .toList(),
                    r.maxSurge(),
                    r.maxUnavailable(),
                    r.onFailure().name(),
                    r.progressDeadlineSeconds(),
                    r.minReadyPercent());
        }
    }

    /** A stage's progress: its state, since when it soaks (0: not), and its clusters. */
    record StageStatusJson(
            String name,
            String state,
            String gate,
            long soakSeconds,
            long readySince,
            List<RolloutService.ClusterStatus> clusters) {}

    /**
     * An app's latest staged rollout as {@code GetRollout} answers it: {@code currentStage} is an
     * index into {@code stages} (their number once all passed).
     */
    record RolloutJson(
            long rolloutId,
            long fromRevision,
            long toRevision,
            String state,
            int currentStage,
            String message,
            String createdBy,
            long createdAt,
            long updatedAt,
            StrategyJson strategy,
            List<StageStatusJson> stages) {
        static RolloutJson of(RolloutService.View v) {
            AppRollout r = v.rollout();
            List<App.Stage> defs = r.strategy().stages();
            List<StageStatusJson> stages = new java.util.ArrayList<>();
            for (int i = 0; i < v.stages().size(); i++) {
                RolloutService.StageStatus s = v.stages().get(i);
                App.Stage def = i < defs.size() ? defs.get(i) : null;
                stages.add(
                        new StageStatusJson(
                                s.name(),
                                s.state(),
                                def == null ? App.Gate.AUTO.name() : def.gate().name(),
                                def == null ? 0 : def.soakSeconds(),
                                s.readySince(),
                                s.clusters()));
            }
            return new RolloutJson(
                    r.id(),
                    r.fromRevision(),
                    r.toRevision(),
                    r.state().name(),
                    r.progress().stage(),
                    r.message(),
                    r.createdBy(),
                    r.createdAt(),
                    r.updatedAt(),
                    StrategyJson.of(r.strategy()),
                    stages);
        }
    }

    /** Pause, resume, abort and approve: the rollout they are meant for (0 or absent: any). */
    @Introspected
    record RolloutActionRequest(@Nullable Long rolloutId, @Nullable String stage) {}

    @Introspected
    record RollbackRequest(
            @Nullable Long toRevision,
            @Nullable Boolean immediate,
            @Nullable Long resourceVersion) {}

    /** What a rollback made: the new revision, the app as written, its rollout (or null). */
    record RolledBackJson(long revision, AppJson app, @Nullable RolloutJson rollout) {}

    record TenantJson(String name, String displayName, TenantUsage usage) {}

    record TenantList(List<TenantJson> tenants, String nextPageToken) {}

    record Capacity(String by, List<WaterLevel> levels, WaterLevel total) {}

    /** The body of every error answer: the gRPC code's name, a sentence, and invalid fields. */
    record ApiError(
            String code, String message, List<FedplaneException.FieldViolation> violations) {}

    @Introspected
    record ScaleRequest(@Nullable Integer replicas, @Nullable Long resourceVersion) {}

    @Introspected
    record MarkRequest(@Nullable Long resourceVersion) {}

    @Introspected
    record CreateAppRequest(
            @Nullable String tenant,
            @Nullable String name,
            @Nullable String image,
            @Nullable Integer replicas,
            @Nullable Long cpuMillis,
            @Nullable Long memoryMiB,
            @Nullable String type) {}

    // What-if (CapacityService.WhatIfApps / WhatIfClusterLoss).

    @Introspected
    record WhatIfScale(
            @Nullable String tenant, @Nullable String name, @Nullable Integer replicas) {}

    @Introspected
    record WhatIfAppsRequest(
            @Nullable List<WhatIfScale> scales, @Nullable List<CreateAppRequest> creates) {}

    @Introspected
    record WhatIfClusterLossRequest(@Nullable List<String> clusters, @Nullable String idc) {}

    /** The service's answer as it is (summary, per app outcomes, lost clusters, cluster levels). */
    record WhatIf(
            WhatIfService.Summary summary,
            List<WhatIfService.AppOutcome> apps,
            List<String> lostClusters,
            List<WhatIfService.ClusterLevel> clusters) {
        static WhatIf of(WhatIfService.Answer a) {
            return new WhatIf(a.summary(), a.apps(), a.lostClusters(), a.clusters());
        }
    }

    // Peak events (BurstPlanService).

    @Introspected
    record WindowJson(
            @Nullable Long start,
            @Nullable Long end,
            @Nullable Integer rampSteps,
            @Nullable Long rampStepSeconds) {}

    @Introspected
    record TargetJson(
            @Nullable String tenant,
            @Nullable String app,
            @Nullable String appPattern,
            @Nullable Integer peakReplicas,
            @Nullable Double multiplier) {}

    @Introspected
    record BudgetJson(@Nullable Integer maxCloudReplicas, @Nullable Double maxCloudCostPerHour) {}

    @Introspected
    record PlanSpecJson(
            @Nullable WindowJson window,
            @Nullable List<TargetJson> targets,
            @Nullable ClusterSelector cloudClusters,
            @Nullable BudgetJson budget,
            @Nullable Boolean raiseTenantQuotas) {
        /** The domain spec; null parts become what the gRPC API makes of absent fields. */
        BurstPlan.Spec toCore() {
            WindowJson w = window == null ? new WindowJson(null, null, null, null) : window;
            long stepSeconds = w.rampStepSeconds() == null ? 0 : w.rampStepSeconds();
            BudgetJson b = budget == null ? new BudgetJson(null, null) : budget;
            return new BurstPlan.Spec(
                    new BurstPlan.Window(
                            w.start() == null ? 0 : w.start(),
                            w.end() == null ? 0 : w.end(),
                            w.rampSteps() == null ? 0 : w.rampSteps(),
                            stepSeconds > Long.MAX_VALUE / 1000 ? -1 : stepSeconds * 1000),
                    targets == null
                            ? List.of()
                            : targets.stream()
                                    .map(
                                            t ->
                                                    t == null
                                                            ? new BurstPlan.Target(
                                                                    "", "", "", null, null)
                                                            : new BurstPlan.Target(
                                                                    t.tenant() == null
                                                                            ? ""
                                                                            : t.tenant(),
                                                                    t.app(),
                                                                    t.appPattern(),
                                                                    t.peakReplicas(),
                                                                    t.multiplier()))
                                    .toList(),
                    cloudClusters,
                    new BurstPlan.Budget(b.maxCloudReplicas(), b.maxCloudCostPerHour()),
                    raiseTenantQuotas != null && raiseTenantQuotas);
        }

        static PlanSpecJson of(BurstPlan.Spec s) {
            return new PlanSpecJson(
                    new WindowJson(
                            s.window().start(),
                            s.window().end(),
                            s.window().rampSteps(),
                            s.window().rampStepMillis() / 1000),
                    s.targets().stream()
                            .map(
                                    t ->
                                            new TargetJson(
                                                    t.tenant(),
                                                    t.app(),
                                                    t.appPattern(),
                                                    t.peakReplicas(),
                                                    t.multiplier()))
                            .toList(),
                    s.cloudClusters(),
                    new BudgetJson(s.budget().maxCloudReplicas(), s.budget().maxCloudCostPerHour()),
                    s.raiseTenantQuotas());
        }
    }

    @Introspected
    record PlanRequest(@Nullable String name, @Nullable PlanSpecJson spec) {}

    record TargetProgressJson(
            String tenant,
            String app,
            int originalReplicas,
            int peakReplicas,
            int appliedReplicas,
            int cloudReplicas,
            double cloudCostPerHour,
            boolean userOwned,
            String skippedReason,
            boolean restored) {}

    record ProgressJson(
            int stepsApplied,
            int steps,
            int cloudReplicas,
            double cloudCostPerHour,
            List<TargetProgressJson> targets) {}

    record PlanJson(
            String name,
            String state,
            String reason,
            boolean cancelRequested,
            String createdBy,
            PlanSpecJson spec,
            ProgressJson progress,
            long resourceVersion,
            long createdAt,
            long updatedAt) {
        static PlanJson of(BurstPlan p) {
            BurstPlan.Progress g = p.progress();
            return new PlanJson(
                    p.name(),
                    p.state().name(),
                    p.reason(),
                    p.cancelRequested(),
                    p.createdBy(),
                    PlanSpecJson.of(p.spec()),
                    new ProgressJson(
                            g.stepsApplied(),
                            Math.max(1, p.spec().window().rampSteps()),
                            g.cloudReplicas(),
                            g.cloudCostPerHour(),
                            g.targets().stream()
                                    .map(
                                            t ->
                                                    new TargetProgressJson(
                                                            t.tenant(),
                                                            t.app(),
                                                            t.originalReplicas(),
                                                            t.peakReplicas(),
                                                            t.appliedReplicas(),
                                                            t.cloudReplicas(),
                                                            t.cloudCostPerHour(),
                                                            t.userOwned(),
                                                            t.skippedReason(),
                                                            t.restored()))
                                    .toList()),
                    p.resourceVersion(),
                    p.createdAt(),
                    p.updatedAt());
        }
    }

    record PlanList(List<PlanJson> plans, String nextPageToken) {}

    record PlanDetail(PlanJson plan, List<BurstPlan.Event> events) {}

    record DryRunApp(
            String tenant,
            String app,
            int currentReplicas,
            int peakReplicas,
            int idcReplicas,
            int cloudReplicas,
            int unschedulable,
            String unschedulableReason,
            double cloudCostPerHour,
            Map<String, Integer> placement) {}

    record DryRun(
            List<DryRunApp> apps,
            int idcReplicas,
            int cloudReplicas,
            int unschedulable,
            double cloudCostPerHour,
            List<BurstPlanner.QuotaHit> quotaHits,
            List<String> notes,
            List<WhatIfService.ClusterLevel> clusters) {
        static DryRun of(BurstPlanner.Result r) {
            return new DryRun(
                    r.apps().stream()
                            .map(
                                    a ->
                                            new DryRunApp(
                                                    a.tenant(),
                                                    a.app(),
                                                    a.currentReplicas(),
                                                    a.replicas(),
                                                    a.idcReplicas(),
                                                    a.cloudReplicas(),
                                                    a.unschedulable(),
                                                    a.unschedulableReason(),
                                                    a.cloudCostPerHour(),
                                                    new java.util.TreeMap<>(a.shares())))
                            .toList(),
                    r.idcReplicas(),
                    r.cloudReplicas(),
                    r.unschedulable(),
                    r.cloudCostPerHour(),
                    r.quotaHits(),
                    r.notes(),
                    r.clusters().stream()
                            .map(
                                    l ->
                                            new WhatIfService.ClusterLevel(
                                                    l.cluster(),
                                                    l.cloud(),
                                                    false,
                                                    l.allocatable(),
                                                    l.requestedNow(),
                                                    l.requestedAtPeak()))
                            .toList());
        }
    }

    // Revisions (AppRevisionService).

    record RevisionJson(
            long revision,
            long generation,
            long createdAt,
            String createdBy,
            String image,
            long cpuMillis,
            long memoryMiB,
            List<App.EnvVar> env,
            List<App.Port> ports) {
        static RevisionJson of(AppRevision r) {
            return new RevisionJson(
                    r.revision(),
                    r.generation(),
                    r.createdAt(),
                    r.createdBy(),
                    r.spec().image(),
                    r.spec().cpuMillis(),
                    r.spec().memoryMiB(),
                    r.spec().env(),
                    r.spec().ports());
        }
    }

    record RevisionList(long current, List<RevisionJson> revisions) {
        static RevisionList of(AppRevisionService.History h) {
            return new RevisionList(
                    h.current(), h.revisions().stream().map(RevisionJson::of).toList());
        }
    }

    record RevisionDiff(long from, long to, List<TemplateDiff.Change> changes) {
        static RevisionDiff of(AppRevisionService.Diff d) {
            return new RevisionDiff(d.from(), d.to(), d.changes());
        }
    }
}
