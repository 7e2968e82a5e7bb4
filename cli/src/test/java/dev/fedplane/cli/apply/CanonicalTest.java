package dev.fedplane.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.BurstPolicy;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.ContainerPort;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantQuota;
import org.junit.jupiter.api.Test;

class CanonicalTest {
    static AppSpec.Builder spec() {
        return AppSpec.newBuilder()
                .setImage("i:1")
                .setReplicas(2)
                .setPlacement(
                        PlacementPolicy.newBuilder()
                                .setReplicaScheduling(
                                        ReplicaScheduling.newBuilder()
                                                .setType(ReplicaScheduling.Type.DIVIDED)));
    }

    @Test
    void anUnspecifiedDivisionIsStaticWeightsAsTheServerStoresIt() {
        AppSpec stored =
                spec().setPlacement(
                                spec().getPlacement().toBuilder()
                                        .setReplicaScheduling(
                                                ReplicaScheduling.newBuilder()
                                                        .setType(ReplicaScheduling.Type.DIVIDED)
                                                        .setDivision(
                                                                ReplicaScheduling.Division
                                                                        .STATIC_WEIGHTS)))
                        .build();
        assertThat(Canonical.same(spec().build(), stored)).isTrue();
        AppSpec dynamic =
                spec().setPlacement(
                                spec().getPlacement().toBuilder()
                                        .setReplicaScheduling(
                                                ReplicaScheduling.newBuilder()
                                                        .setType(ReplicaScheduling.Type.DIVIDED)
                                                        .setDivision(
                                                                ReplicaScheduling.Division
                                                                        .DYNAMIC)))
                        .build();
        assertThat(Canonical.same(spec().build(), dynamic)).isFalse();
    }

    @Test
    void anEmptyProtocolIsTcpInAnyCase() {
        assertThat(
                        Canonical.same(
                                spec().addPorts(ContainerPort.newBuilder().setContainerPort(80))
                                        .build(),
                                spec().addPorts(
                                                ContainerPort.newBuilder()
                                                        .setContainerPort(80)
                                                        .setProtocol("TCP"))
                                        .build()))
                .isTrue();
        assertThat(
                        Canonical.same(
                                spec().addPorts(
                                                ContainerPort.newBuilder()
                                                        .setContainerPort(80)
                                                        .setProtocol("udp"))
                                        .build(),
                                spec().addPorts(
                                                ContainerPort.newBuilder()
                                                        .setContainerPort(80)
                                                        .setProtocol("TCP"))
                                        .build()))
                .isFalse();
    }

    @Test
    void anEmptySubMessageIsAbsentButAnEmptyOptionalOneIsNot() {
        assertThat(
                        Canonical.same(
                                Tenant.newBuilder().setName("t").build(),
                                Tenant.newBuilder()
                                        .setName("t")
                                        .setAllowedClusters(ClusterSelector.getDefaultInstance())
                                        .setQuota(TenantQuota.getDefaultInstance())
                                        .build()))
                .isTrue();
        AppSpec noBurst = spec().build();
        AppSpec emptyBurst =
                spec().setPlacement(
                                spec().getPlacement().toBuilder()
                                        .setBurst(BurstPolicy.getDefaultInstance()))
                        .build();
        assertThat(Canonical.same(noBurst, emptyBurst))
                .as("burst {} means: cloud not allowed")
                .isFalse();
    }
}
