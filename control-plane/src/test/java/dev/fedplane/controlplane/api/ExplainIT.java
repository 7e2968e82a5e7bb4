package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.Fixtures.aCluster;
import static dev.fedplane.controlplane.testing.Fixtures.aSpec;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.*;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ExplainApp runs the scheduler library over the clusters as stored and explains every cluster. The
 * scenario is DESIGN's worked example (idc-a-1 held to maxReplicas 5, idc-b-1 unusable), with
 * idc-b-1 cordoned since an API-created cluster cannot start NOT_READY.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainIT {
    private ControlPlaneHarness cp;
    private Stubs admin;

    @BeforeAll
    void start() {
        cp = ControlPlaneHarness.start(ControlPlaneHarness.Store.H2);
        admin = Stubs.of(cp.channel(), ADMIN_TOKEN);
        admin.clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder()
                                .setCluster(aCluster("idc-a-1").putLabels("idc", "idc-a"))
                                .build());
        admin.clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder()
                                .setCluster(aCluster("idc-b-1").putLabels("idc", "idc-b"))
                                .build());
        admin.clusters()
                .cordonCluster(CordonClusterRequest.newBuilder().setName("idc-b-1").build());
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("t1")).build());
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(
                                        aTenant("west-only")
                                                .setAllowedClusters(
                                                        ClusterSelector.newBuilder()
                                                                .putMatchLabels("region", "west")))
                                .build());
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    private static AppSpec.Builder designExample() {
        AppSpec.Builder s = aSpec(9);
        return s.setPlacement(
                PlacementPolicy.newBuilder()
                        .setClusterAffinity(
                                ClusterSelector.newBuilder()
                                        .putMatchLabels("region", "east")
                                        .addMatchExpressions(
                                                LabelSelectorRequirement.newBuilder()
                                                        .setKey("idc")
                                                        .setOperator(
                                                                LabelSelectorRequirement.Operator
                                                                        .IN)
                                                        .addValues("idc-a")
                                                        .addValues("idc-b")))
                        .setReplicaScheduling(
                                ReplicaScheduling.newBuilder()
                                        .setType(ReplicaScheduling.Type.DIVIDED)
                                        .setDivision(ReplicaScheduling.Division.STATIC_WEIGHTS)
                                        .addWeights(
                                                ClusterWeight.newBuilder()
                                                        .setClusters(
                                                                ClusterSelector.newBuilder()
                                                                        .putMatchLabels(
                                                                                "idc", "idc-a"))
                                                        .setWeight(2))
                                        .addWeights(
                                                ClusterWeight.newBuilder()
                                                        .setClusters(
                                                                ClusterSelector.newBuilder()
                                                                        .putMatchLabels(
                                                                                "idc", "idc-b"))
                                                        .setWeight(1)))
                        .addClusterLimits(
                                ClusterLimit.newBuilder()
                                        .setClusters(
                                                ClusterSelector.newBuilder()
                                                        .putMatchLabels("idc", "idc-a"))
                                        .setMinReplicas(1)
                                        .setMaxReplicas(5)));
    }

    @Test
    @DisplayName(
            "DESIGN's example: idc-a-1 gets its maximum of 5, 4 are unschedulable, the cordoned cluster says why")
    void designExampleIsExplained() {
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("t1")
                                                .setName("web")
                                                .setSpec(designExample()))
                                .build());
        Explanation e =
                admin.apps()
                        .explainApp(
                                ExplainAppRequest.newBuilder()
                                        .setTenant("t1")
                                        .setName("web")
                                        .build());
        assertThat(e.getPlacementsList())
                .extracting(ClusterReplicas::getCluster, ClusterReplicas::getDesired)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("idc-a-1", 5));
        assertThat(e.getUnschedulable()).isEqualTo(4);
        assertThat(e.getUnschedulableReason()).contains("maxReplicas 5").contains("idc-b-1");
        assertThat(e.getClustersList())
                .extracting(ClusterDecision::getCluster)
                .containsExactly("idc-a-1", "idc-b-1");
        ClusterDecision a = e.getClusters(0);
        assertThat(a.getFeasible()).isTrue();
        assertThat(a.getWeight()).isEqualTo(2);
        // (64000 - 12000) / 500 = 104 by CPU, (262144 - 40000) / 512 = 433 by memory, 900 pods: 104
        // fit.
        assertThat(a.getFit()).isEqualTo(104);
        assertThat(a.getReplicas()).isEqualTo(5);
        ClusterDecision b = e.getClusters(1);
        assertThat(b.getFeasible()).isFalse();
        assertThat(b.getReason()).contains("CORDONED");
        assertThat(e.getGeneration()).isEqualTo(1);
    }

    @Test
    @DisplayName("a tenant's allowed clusters are a filter with a reason")
    void tenantAllowedClustersFilter() {
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("west-only")
                                                .setName("api")
                                                .setSpec(aSpec(2)))
                                .build());
        Explanation e =
                admin.apps()
                        .explainApp(
                                ExplainAppRequest.newBuilder()
                                        .setTenant("west-only")
                                        .setName("api")
                                        .build());
        assertThat(e.getPlacementsList()).isEmpty();
        assertThat(e.getUnschedulable()).isEqualTo(2);
        assertThat(e.getClustersList())
                .allSatisfy(
                        d -> {
                            assertThat(d.getFeasible()).isFalse();
                            assertThat(d.getReason()).isNotEmpty();
                        });
        assertThat(e.getClustersList())
                .filteredOn(d -> d.getCluster().equals("idc-a-1"))
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).contains("tenant"));
    }

    @Test
    @DisplayName("a feasible cluster that got no replica says why")
    void idleFeasibleClusterSaysWhy() {
        // Weights name only idc-b (cordoned): idc-a-1 is feasible but weighs 0, so it takes no
        // part.
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("t1")
                                                .setName("idle")
                                                .setSpec(
                                                        aSpec(2).setPlacement(
                                                                        PlacementPolicy.newBuilder()
                                                                                .setReplicaScheduling(
                                                                                        ReplicaScheduling
                                                                                                .newBuilder()
                                                                                                .setType(
                                                                                                        ReplicaScheduling
                                                                                                                .Type
                                                                                                                .DIVIDED)
                                                                                                .addWeights(
                                                                                                        ClusterWeight
                                                                                                                .newBuilder()
                                                                                                                .setClusters(
                                                                                                                        ClusterSelector
                                                                                                                                .newBuilder()
                                                                                                                                .putMatchLabels(
                                                                                                                                        "idc",
                                                                                                                                        "idc-b"))
                                                                                                                .setWeight(
                                                                                                                        1))))))
                                .build());
        Explanation e =
                admin.apps()
                        .explainApp(
                                ExplainAppRequest.newBuilder()
                                        .setTenant("t1")
                                        .setName("idle")
                                        .build());
        ClusterDecision a =
                e.getClustersList().stream()
                        .filter(d -> d.getCluster().equals("idc-a-1"))
                        .findFirst()
                        .orElseThrow();
        assertThat(a.getFeasible()).isTrue();
        assertThat(a.getReplicas()).isZero();
        assertThat(a.getNote()).isEqualTo("weight 0: takes no part in the division");
    }

    @Test
    @DisplayName("explaining an unknown app is NOT_FOUND")
    void unknownApp() {
        assertThatThrownBy(
                        () ->
                                admin.apps()
                                        .explainApp(
                                                ExplainAppRequest.newBuilder()
                                                        .setTenant("t1")
                                                        .setName("ghost")
                                                        .build()))
                .satisfies(
                        ex ->
                                assertThat(Status.fromThrowable(ex).getCode())
                                        .isEqualTo(Status.Code.NOT_FOUND));
    }
}
