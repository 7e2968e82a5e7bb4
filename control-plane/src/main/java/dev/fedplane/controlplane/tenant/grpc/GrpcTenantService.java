package dev.fedplane.controlplane.tenant.grpc;

import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.controlplane.tenant.TenantService;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.DeleteTenantRequest;
import dev.fedplane.proto.v1.DeleteTenantResponse;
import dev.fedplane.proto.v1.GetTenantRequest;
import dev.fedplane.proto.v1.ListTenantsRequest;
import dev.fedplane.proto.v1.ListTenantsResponse;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.UpdateTenantRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/**
 * Transport for {@code fedplane.v1.TenantService}; errors thrown here are mapped by the
 * interceptor.
 */
@Singleton
public class GrpcTenantService extends TenantServiceGrpc.TenantServiceImplBase {
    private final TenantService tenants;

    public GrpcTenantService(TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public void createTenant(CreateTenantRequest request, StreamObserver<Tenant> out) {
        out.onNext(
                GrpcTenantConverters.toGrpc(
                        tenants.create(
                                Callers.current(),
                                GrpcTenantConverters.toCore(request.getTenant()))));
        out.onCompleted();
    }

    @Override
    public void getTenant(GetTenantRequest request, StreamObserver<Tenant> out) {
        out.onNext(GrpcTenantConverters.toGrpc(tenants.get(Callers.current(), request.getName())));
        out.onCompleted();
    }

    @Override
    public void listTenants(ListTenantsRequest request, StreamObserver<ListTenantsResponse> out) {
        TenantService.Page page =
                tenants.list(Callers.current(), request.getPageSize(), request.getPageToken());
        out.onNext(
                ListTenantsResponse.newBuilder()
                        .addAllTenants(
                                page.tenants().stream().map(GrpcTenantConverters::toGrpc).toList())
                        .setNextPageToken(page.nextPageToken())
                        .build());
        out.onCompleted();
    }

    @Override
    public void updateTenant(UpdateTenantRequest request, StreamObserver<Tenant> out) {
        out.onNext(
                GrpcTenantConverters.toGrpc(
                        tenants.update(
                                Callers.current(),
                                GrpcTenantConverters.toCore(request.getTenant()))));
        out.onCompleted();
    }

    @Override
    public void deleteTenant(
            DeleteTenantRequest request, StreamObserver<DeleteTenantResponse> out) {
        tenants.delete(Callers.current(), request.getName(), request.getResourceVersion());
        out.onNext(DeleteTenantResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void updateNetworkRules(
            dev.fedplane.proto.v1.UpdateNetworkRulesRequest request, StreamObserver<Tenant> out) {
        out.onNext(
                GrpcTenantConverters.toGrpc(
                        tenants.updateNetworkRules(
                                Callers.current(),
                                request.getTenant(),
                                GrpcTenantConverters.toCore(request.getNetwork()),
                                request.getResourceVersion())));
        out.onCompleted();
    }
}
