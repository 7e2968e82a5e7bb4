package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;

import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AuditServiceGrpc;
import dev.fedplane.proto.v1.CapacityServiceGrpc;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.Channel;

/** Blocking stubs of every platform service, all sending one bearer token. */
record Stubs(
        TenantServiceGrpc.TenantServiceBlockingStub tenants,
        AppServiceGrpc.AppServiceBlockingStub apps,
        ClusterServiceGrpc.ClusterServiceBlockingStub clusters,
        TokenServiceGrpc.TokenServiceBlockingStub tokens,
        CapacityServiceGrpc.CapacityServiceBlockingStub capacity,
        AuditServiceGrpc.AuditServiceBlockingStub audit) {

    static Stubs of(Channel channel, String token) {
        return new Stubs(
                withToken(TenantServiceGrpc.newBlockingStub(channel), token),
                withToken(AppServiceGrpc.newBlockingStub(channel), token),
                withToken(ClusterServiceGrpc.newBlockingStub(channel), token),
                withToken(TokenServiceGrpc.newBlockingStub(channel), token),
                withToken(CapacityServiceGrpc.newBlockingStub(channel), token),
                withToken(AuditServiceGrpc.newBlockingStub(channel), token));
    }

    /** One call of a test table. */
    @FunctionalInterface
    interface Call {
        void run(Stubs s);
    }
}
