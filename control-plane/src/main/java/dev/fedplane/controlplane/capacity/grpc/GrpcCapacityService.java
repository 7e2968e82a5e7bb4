package dev.fedplane.controlplane.capacity.grpc;

import dev.fedplane.controlplane.app.grpc.GrpcAppConverters;
import dev.fedplane.controlplane.capacity.CapacityService;
import dev.fedplane.controlplane.capacity.CapacityThresholds;
import dev.fedplane.controlplane.capacity.ResourceLevel;
import dev.fedplane.controlplane.capacity.TenantUsage;
import dev.fedplane.controlplane.capacity.WaterLevel;
import dev.fedplane.controlplane.capacity.WhatIfService;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.proto.v1.CapacityServiceGrpc;
import dev.fedplane.proto.v1.GetTenantUsageRequest;
import dev.fedplane.proto.v1.GetWaterLevelsRequest;
import dev.fedplane.proto.v1.GetWaterLevelsResponse;
import dev.fedplane.proto.v1.TenantClusterUsage;
import dev.fedplane.proto.v1.WaterLevelThresholds;
import dev.fedplane.proto.v1.WhatIfAppOutcome;
import dev.fedplane.proto.v1.WhatIfAppsRequest;
import dev.fedplane.proto.v1.WhatIfClusterLossRequest;
import dev.fedplane.proto.v1.WhatIfResponse;
import dev.fedplane.proto.v1.WhatIfShare;
import dev.fedplane.proto.v1.WhatIfSummary;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.List;

/** Transport for {@code fedplane.v1.CapacityService}, with its converters. */
@Singleton
public class GrpcCapacityService extends CapacityServiceGrpc.CapacityServiceImplBase {
    private final CapacityService capacity;
    private final WhatIfService whatIf;

    public GrpcCapacityService(CapacityService capacity, WhatIfService whatIf) {
        this.capacity = capacity;
        this.whatIf = whatIf;
    }

    @Override
    public void getWaterLevels(
            GetWaterLevelsRequest r, StreamObserver<GetWaterLevelsResponse> out) {
        CapacityService.GroupBy groupBy =
                switch (r.getGroupBy()) {
                    case GROUP_BY_UNSPECIFIED, CLUSTER -> CapacityService.GroupBy.CLUSTER;
                    case IDC -> CapacityService.GroupBy.IDC;
                    case REGION -> CapacityService.GroupBy.REGION;
                    case TIER -> CapacityService.GroupBy.TIER;
                    case PROVIDER -> CapacityService.GroupBy.PROVIDER;
                    case ZONE -> CapacityService.GroupBy.ZONE;
                    default ->
                            throw FedplaneException.invalid(
                                    "group_by",
                                    "must be CLUSTER, IDC, REGION, TIER, PROVIDER or ZONE");
                };
        CapacityService.Levels levels =
                capacity.waterLevels(
                        Callers.current(),
                        groupBy,
                        GrpcCommonConverters.toCore(r.getSelector()),
                        r.getIncludeTenants());
        CapacityThresholds th = capacity.thresholds();
        out.onNext(
                GetWaterLevelsResponse.newBuilder()
                        .addAllLevels(
                                levels.levels().stream().map(GrpcCapacityService::toGrpc).toList())
                        .setTotal(toGrpc(levels.total()))
                        .setThresholds(
                                WaterLevelThresholds.newBuilder()
                                        .setWarnRatio(th.warnRatio())
                                        .setCriticalRatio(th.criticalRatio()))
                        .addAllTenants(
                                levels.tenants().stream().map(GrpcCapacityService::toGrpc).toList())
                        .build());
        out.onCompleted();
    }

    @Override
    public void whatIfApps(WhatIfAppsRequest r, StreamObserver<WhatIfResponse> out) {
        WhatIfService.Answer a =
                whatIf.apps(
                        Callers.current(),
                        r.getScalesList().stream()
                                .map(
                                        s ->
                                                new WhatIfService.Scale(
                                                        s.getTenant(),
                                                        s.getName(),
                                                        s.getReplicas()))
                                .toList(),
                        r.getCreatesList().stream()
                                .map(
                                        c ->
                                                new WhatIfService.Create(
                                                        c.getTenant(),
                                                        c.getName(),
                                                        GrpcAppConverters.toCore(c.getSpec())))
                                .toList());
        out.onNext(toGrpc(a));
        out.onCompleted();
    }

    @Override
    public void whatIfClusterLoss(WhatIfClusterLossRequest r, StreamObserver<WhatIfResponse> out) {
        out.onNext(toGrpc(whatIf.clusterLoss(Callers.current(), r.getClustersList(), r.getIdc())));
        out.onCompleted();
    }

    @Override
    public void getTenantUsage(
            GetTenantUsageRequest r, StreamObserver<dev.fedplane.proto.v1.TenantUsage> out) {
        out.onNext(toGrpc(capacity.tenantUsage(Callers.current(), r.getTenant())));
        out.onCompleted();
    }

    static dev.fedplane.proto.v1.TenantUsage toGrpc(TenantUsage u) {
        var b =
                dev.fedplane.proto.v1.TenantUsage.newBuilder()
                        .setTenant(u.tenant())
                        .setRequested(GrpcCommonConverters.toGrpc(u.requested()))
                        .setReplicas(u.replicas())
                        .addAllClusters(
                                u.clusters().stream().map(GrpcCapacityService::toGrpc).toList())
                        .addAllLevels(toGrpc(u.levels()));
        if (u.quota().cpuMillis() != null) {
            b.setQuotaCpuMillis(u.quota().cpuMillis());
        }
        if (u.quota().memoryMiB() != null) {
            b.setQuotaMemoryMib(u.quota().memoryMiB());
        }
        if (u.quota().replicas() != null) {
            b.setQuotaReplicas(u.quota().replicas());
        }
        return b.build();
    }

    static TenantClusterUsage toGrpc(TenantUsage.ClusterUsage c) {
        var b =
                TenantClusterUsage.newBuilder()
                        .setCluster(c.cluster())
                        .setReplicas(c.replicas())
                        .setRequested(GrpcCommonConverters.toGrpc(c.requested()))
                        .addAllLevels(toGrpc(c.levels()));
        if (c.cap() != null) {
            if (c.cap().cpuMillis() != null) {
                b.setQuotaCpuMillis(c.cap().cpuMillis());
            }
            if (c.cap().memoryMiB() != null) {
                b.setQuotaMemoryMib(c.cap().memoryMiB());
            }
            if (c.cap().replicas() != null) {
                b.setQuotaReplicas(c.cap().replicas());
            }
        }
        return b.build();
    }

    static List<dev.fedplane.proto.v1.ResourceLevel> toGrpc(List<ResourceLevel> levels) {
        return levels.stream()
                .map(
                        l ->
                                dev.fedplane.proto.v1.ResourceLevel.newBuilder()
                                        .setResource(l.resource())
                                        .setUsedRatio(l.usedRatio())
                                        .setLevel(toGrpc(l.level()))
                                        .build())
                .toList();
    }

    static dev.fedplane.proto.v1.ResourceLevel.Level toGrpc(ResourceLevel.Level l) {
        return switch (l) {
            case OK -> dev.fedplane.proto.v1.ResourceLevel.Level.OK;
            case WARN -> dev.fedplane.proto.v1.ResourceLevel.Level.WARN;
            case CRITICAL -> dev.fedplane.proto.v1.ResourceLevel.Level.CRITICAL;
        };
    }

    static WhatIfResponse toGrpc(WhatIfService.Answer a) {
        WhatIfService.Summary s = a.summary();
        WhatIfResponse.Builder b =
                WhatIfResponse.newBuilder()
                        .setSummary(
                                WhatIfSummary.newBuilder()
                                        .setFits(s.fits())
                                        .setApps(s.apps())
                                        .setIdcReplicas(s.idcReplicas())
                                        .setCloudReplicas(s.cloudReplicas())
                                        .setCloudCostPerHour(s.cloudCostPerHour())
                                        .setCloudCostPerHourBefore(s.cloudCostPerHourBefore())
                                        .setUnschedulable(s.unschedulable())
                                        .setLostReplicas(s.lostReplicas())
                                        .setStartedReplicas(s.startedReplicas()))
                        .addAllLostClusters(a.lostClusters());
        for (WhatIfService.AppOutcome o : a.apps()) {
            WhatIfAppOutcome.Builder ob =
                    WhatIfAppOutcome.newBuilder()
                            .setTenant(o.tenant())
                            .setName(o.name())
                            .setReplicasBefore(o.replicasBefore())
                            .setReplicas(o.replicas())
                            .setNewApp(o.newApp())
                            .setFits(o.fits())
                            .setUnschedulable(o.unschedulable())
                            .setUnschedulableReason(o.unschedulableReason())
                            .setUnschedulableBefore(o.unschedulableBefore())
                            .setIdcReplicas(o.idcReplicas())
                            .setCloudReplicas(o.cloudReplicas())
                            .setCloudCostPerHour(o.cloudCostPerHour())
                            .setCloudCostPerHourBefore(o.cloudCostPerHourBefore())
                            .setLostReplicas(o.lostReplicas())
                            .setQuotaExceeded(o.quotaExceeded());
            for (WhatIfService.Share sh : o.shares()) {
                ob.addShares(
                        WhatIfShare.newBuilder()
                                .setCluster(sh.cluster())
                                .setTier(sh.cloud() ? "cloud" : "idc")
                                .setBefore(sh.before())
                                .setAfter(sh.after()));
            }
            b.addApps(ob);
        }
        return b.build();
    }

    static dev.fedplane.proto.v1.WaterLevel toGrpc(WaterLevel w) {
        return dev.fedplane.proto.v1.WaterLevel.newBuilder()
                .setKey(w.key())
                .setClusterCount(w.clusterCount())
                .setReadyCount(w.readyCount())
                .setAllocatable(GrpcCommonConverters.toGrpc(w.allocatable()))
                .setRequested(GrpcCommonConverters.toGrpc(w.requested()))
                .setFree(GrpcCommonConverters.toGrpc(w.free()))
                .addAllResources(toGrpc(w.resources()))
                .setLevel(toGrpc(w.level()))
                .build();
    }
}
