package dev.fedplane.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.CordonClusterRequest;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.RevokeTokenRequest;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.Tenant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuditTargetsTest {
    @Test
    @DisplayName("write requests name their object by the contract's field names")
    void targets() {
        assertThat(
                        AuditTargets.of(
                                "fedplane.v1.AppService/CreateApp",
                                CreateAppRequest.newBuilder()
                                        .setApp(App.newBuilder().setTenant("t1").setName("web"))
                                        .build()))
                .isEqualTo(new AuditTargets.Target("t1", "app/t1/web"));
        assertThat(
                        AuditTargets.of(
                                "fedplane.v1.AppService/ScaleApp",
                                ScaleAppRequest.newBuilder()
                                        .setTenant("t1")
                                        .setName("web")
                                        .build()))
                .isEqualTo(new AuditTargets.Target("t1", "app/t1/web"));
        assertThat(
                        AuditTargets.of(
                                "fedplane.v1.TenantService/CreateTenant",
                                CreateTenantRequest.newBuilder()
                                        .setTenant(Tenant.newBuilder().setName("t1"))
                                        .build()))
                .isEqualTo(new AuditTargets.Target("t1", "tenant/t1"));
        assertThat(
                        AuditTargets.of(
                                "fedplane.v1.ClusterService/CordonCluster",
                                CordonClusterRequest.newBuilder().setName("c1").build()))
                .isEqualTo(new AuditTargets.Target(null, "cluster/c1"));
        assertThat(
                        AuditTargets.of(
                                "fedplane.v1.TokenService/RevokeToken",
                                RevokeTokenRequest.newBuilder().setId("tok-1").build()))
                .isEqualTo(new AuditTargets.Target(null, "token/tok-1"));
        assertThat(AuditTargets.of("fedplane.v1.AppService/ScaleApp", null))
                .isEqualTo(new AuditTargets.Target(null, "app"));
    }
}
