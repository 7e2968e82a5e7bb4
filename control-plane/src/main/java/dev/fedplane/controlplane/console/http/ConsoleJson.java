package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppRevision;
import dev.fedplane.controlplane.app.AppRevisionService;
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

    record AppDetail(AppJson app, Explanation explanation) {}

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
