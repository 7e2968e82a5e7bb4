package dev.fedplane.controlplane.burst.grpc;

import dev.fedplane.controlplane.burst.BurstPlan;
import dev.fedplane.controlplane.burst.BurstPlanner;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.proto.v1.BurstBudget;
import dev.fedplane.proto.v1.BurstDryRun;
import dev.fedplane.proto.v1.BurstDryRunApp;
import dev.fedplane.proto.v1.BurstEvent;
import dev.fedplane.proto.v1.BurstPlanProgress;
import dev.fedplane.proto.v1.BurstPlanSpec;
import dev.fedplane.proto.v1.BurstQuotaHit;
import dev.fedplane.proto.v1.BurstState;
import dev.fedplane.proto.v1.BurstTarget;
import dev.fedplane.proto.v1.BurstTargetProgress;
import dev.fedplane.proto.v1.BurstWindow;

/** The only place where burst domain records meet {@code fedplane.v1} messages. */
public final class GrpcBurstConverters {
    private GrpcBurstConverters() {}

    public static BurstPlan.Spec toCore(BurstPlanSpec s) {
        BurstWindow w = s.getWindow();
        return new BurstPlan.Spec(
                new BurstPlan.Window(
                        w.getStartUnixMillis(),
                        w.getEndUnixMillis(),
                        w.getRampSteps(),
                        w.getRampStepSeconds() > Long.MAX_VALUE / 1000
                                ? -1
                                : w.getRampStepSeconds() * 1000),
                s.getTargetsList().stream()
                        .map(
                                t ->
                                        new BurstPlan.Target(
                                                t.getTenant(),
                                                t.getApp(),
                                                t.getAppPattern(),
                                                t.hasPeakReplicas() ? t.getPeakReplicas() : null,
                                                t.hasMultiplier() ? t.getMultiplier() : null))
                        .toList(),
                GrpcCommonConverters.toCore(s.getCloudClusters()),
                new BurstPlan.Budget(
                        s.getBudget().hasMaxCloudReplicas()
                                ? s.getBudget().getMaxCloudReplicas()
                                : null,
                        s.getBudget().hasMaxCloudCostPerHour()
                                ? s.getBudget().getMaxCloudCostPerHour()
                                : null),
                s.getRaiseTenantQuotas());
    }

    public static BurstPlanSpec toGrpc(BurstPlan.Spec s) {
        BurstBudget.Builder budget = BurstBudget.newBuilder();
        if (s.budget().maxCloudReplicas() != null) {
            budget.setMaxCloudReplicas(s.budget().maxCloudReplicas());
        }
        if (s.budget().maxCloudCostPerHour() != null) {
            budget.setMaxCloudCostPerHour(s.budget().maxCloudCostPerHour());
        }
        BurstPlanSpec.Builder b =
                BurstPlanSpec.newBuilder()
                        .setWindow(
                                BurstWindow.newBuilder()
                                        .setStartUnixMillis(s.window().start())
                                        .setEndUnixMillis(s.window().end())
                                        .setRampSteps(s.window().rampSteps())
                                        .setRampStepSeconds(s.window().rampStepMillis() / 1000))
                        .setCloudClusters(GrpcCommonConverters.toGrpc(s.cloudClusters()))
                        .setBudget(budget)
                        .setRaiseTenantQuotas(s.raiseTenantQuotas());
        for (BurstPlan.Target t : s.targets()) {
            BurstTarget.Builder tb =
                    BurstTarget.newBuilder()
                            .setTenant(t.tenant())
                            .setApp(t.app())
                            .setAppPattern(t.appPattern());
            if (t.peakReplicas() != null) {
                tb.setPeakReplicas(t.peakReplicas());
            }
            if (t.multiplier() != null) {
                tb.setMultiplier(t.multiplier());
            }
            b.addTargets(tb);
        }
        return b.build();
    }

    public static dev.fedplane.proto.v1.BurstPlan toGrpc(BurstPlan p) {
        BurstPlanProgress.Builder progress =
                BurstPlanProgress.newBuilder()
                        .setStepsApplied(p.progress().stepsApplied())
                        .setSteps(Math.max(1, p.spec().window().rampSteps()))
                        .setCloudReplicas(p.progress().cloudReplicas())
                        .setCloudCostPerHour(p.progress().cloudCostPerHour());
        for (BurstPlan.TargetProgress t : p.progress().targets()) {
            progress.addTargets(
                    BurstTargetProgress.newBuilder()
                            .setTenant(t.tenant())
                            .setApp(t.app())
                            .setOriginalReplicas(t.originalReplicas())
                            .setPeakReplicas(t.peakReplicas())
                            .setAppliedReplicas(t.appliedReplicas())
                            .setCloudReplicas(t.cloudReplicas())
                            .setCloudCostPerHour(t.cloudCostPerHour())
                            .setUserOwned(t.userOwned())
                            .setSkippedReason(t.skippedReason())
                            .setRestored(t.restored()));
        }
        return dev.fedplane.proto.v1.BurstPlan.newBuilder()
                .setName(p.name())
                .setSpec(toGrpc(p.spec()))
                .setState(BurstState.valueOf(p.state().name()))
                .setReason(p.reason())
                .setProgress(progress)
                .setResourceVersion(p.resourceVersion())
                .setCreateTimeUnixMillis(p.createdAt())
                .setUpdateTimeUnixMillis(p.updatedAt())
                .setCreatedBy(p.createdBy())
                .build();
    }

    public static BurstEvent toGrpc(BurstPlan.Event e) {
        return BurstEvent.newBuilder()
                .setTimeUnixMillis(e.at())
                .setKind(e.kind())
                .setMessage(e.message())
                .build();
    }

    public static BurstDryRun toGrpc(BurstPlanner.Result r) {
        BurstDryRun.Builder b =
                BurstDryRun.newBuilder()
                        .setIdcReplicas(r.idcReplicas())
                        .setCloudReplicas(r.cloudReplicas())
                        .setUnschedulable(r.unschedulable())
                        .setCloudCostPerHour(r.cloudCostPerHour())
                        .addAllNotes(r.notes());
        for (BurstPlanner.AppResult a : r.apps()) {
            b.addApps(
                    BurstDryRunApp.newBuilder()
                            .setTenant(a.tenant())
                            .setApp(a.app())
                            .setCurrentReplicas(a.currentReplicas())
                            .setPeakReplicas(a.replicas())
                            .setIdcReplicas(a.idcReplicas())
                            .setCloudReplicas(a.cloudReplicas())
                            .setUnschedulable(a.unschedulable())
                            .setUnschedulableReason(a.unschedulableReason())
                            .setCloudCostPerHour(a.cloudCostPerHour())
                            .putAllPlacement(a.shares()));
        }
        for (BurstPlanner.QuotaHit h : r.quotaHits()) {
            b.addQuotaHits(
                    BurstQuotaHit.newBuilder()
                            .setTenant(h.tenant())
                            .setResource(h.resource())
                            .setQuota(h.quota())
                            .setNeeded(h.needed())
                            .setRaised(h.raised()));
        }
        return b.build();
    }
}
