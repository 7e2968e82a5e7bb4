package dev.fedplane.controlplane.capacity.grpc;

import dev.fedplane.controlplane.capacity.CapacityService;
import dev.fedplane.controlplane.capacity.TenantUsage;
import dev.fedplane.controlplane.capacity.WaterLevel;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.proto.v1.CapacityServiceGrpc;
import dev.fedplane.proto.v1.GetTenantUsageRequest;
import dev.fedplane.proto.v1.GetWaterLevelsRequest;
import dev.fedplane.proto.v1.GetWaterLevelsResponse;
import dev.fedplane.proto.v1.TenantClusterUsage;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.CapacityService}, with its converters. */
@Singleton
public class GrpcCapacityService extends CapacityServiceGrpc.CapacityServiceImplBase {
    private final CapacityService capacity;

    public GrpcCapacityService(CapacityService capacity) {
        this.capacity = capacity;
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
                        Callers.current(), groupBy, GrpcCommonConverters.toCore(r.getSelector()));
        out.onNext(
                GetWaterLevelsResponse.newBuilder()
                        .addAllLevels(
                                levels.levels().stream().map(GrpcCapacityService::toGrpc).toList())
                        .setTotal(toGrpc(levels.total()))
                        .build());
        out.onCompleted();
    }

    @Override
    public void getTenantUsage(
            GetTenantUsageRequest r, StreamObserver<dev.fedplane.proto.v1.TenantUsage> out) {
        TenantUsage u = capacity.tenantUsage(Callers.current(), r.getTenant());
        var b =
                dev.fedplane.proto.v1.TenantUsage.newBuilder()
                        .setTenant(u.tenant())
                        .setRequested(GrpcCommonConverters.toGrpc(u.requested()))
                        .setReplicas(u.replicas())
                        .addAllClusters(
                                u.clusters().stream()
                                        .map(
                                                c ->
                                                        TenantClusterUsage.newBuilder()
                                                                .setCluster(c.cluster())
                                                                .setReplicas(c.replicas())
                                                                .setRequested(
                                                                        GrpcCommonConverters.toGrpc(
                                                                                c.requested()))
                                                                .build())
                                        .toList());
        if (u.quota().cpuMillis() != null) {
            b.setQuotaCpuMillis(u.quota().cpuMillis());
        }
        if (u.quota().memoryMiB() != null) {
            b.setQuotaMemoryMib(u.quota().memoryMiB());
        }
        if (u.quota().replicas() != null) {
            b.setQuotaReplicas(u.quota().replicas());
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    static dev.fedplane.proto.v1.WaterLevel toGrpc(WaterLevel w) {
        return dev.fedplane.proto.v1.WaterLevel.newBuilder()
                .setKey(w.key())
                .setClusterCount(w.clusterCount())
                .setReadyCount(w.readyCount())
                .setAllocatable(GrpcCommonConverters.toGrpc(w.allocatable()))
                .setRequested(GrpcCommonConverters.toGrpc(w.requested()))
                .setFree(GrpcCommonConverters.toGrpc(w.free()))
                .build();
    }
}
