package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fedplane.scheduler.Fixtures.AppBuilder;
import dev.fedplane.scheduler.Fixtures.ClusterBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every filter, with its reason text; null reason = the cluster is feasible. */
class FilterTest {

    static Stream<Arguments> cases() {
        AppBuilder app = anApp().withReplicas(1).withResources(1000, 1024);
        return Stream.of(
                arguments("a READY cluster with room is feasible", app, aCluster("c"), null, null),
                arguments(
                        "a NOT_READY cluster is rejected with its state",
                        app,
                        aCluster("c").withState(ClusterState.NOT_READY),
                        "state",
                        "state NOT_READY"),
                arguments(
                        "a PENDING cluster is rejected",
                        app,
                        aCluster("c").withState(ClusterState.PENDING),
                        "state",
                        "state PENDING"),
                arguments(
                        "a LOST cluster is rejected",
                        app,
                        aCluster("c").withState(ClusterState.LOST),
                        "state",
                        "state LOST"),
                arguments(
                        "a CORDONED cluster is rejected",
                        app,
                        aCluster("c").withState(ClusterState.CORDONED),
                        "state",
                        "state CORDONED"),
                arguments(
                        "a DRAINING cluster is rejected",
                        app,
                        aCluster("c").withState(ClusterState.DRAINING),
                        "state",
                        "state DRAINING"),
                arguments(
                        "a cluster with another matchLabels value is rejected naming the label",
                        anApp().withReplicas(1)
                                .withAffinity(ClusterSelector.label("region", "east")),
                        aCluster("c").withLabel("region", "west"),
                        "affinity",
                        "does not match clusterAffinity (region=east)"),
                arguments(
                        "a cluster whose label is not In the values is rejected",
                        anApp().withReplicas(1)
                                .withAffinity(
                                        ClusterSelector.expressions(
                                                LabelRequirement.in("region", "east"))),
                        aCluster("c").withLabel("region", "west"),
                        "affinity",
                        "does not match clusterAffinity (region In [east])"),
                arguments(
                        "a cluster without the label of an In expression is rejected",
                        anApp().withReplicas(1)
                                .withAffinity(
                                        ClusterSelector.expressions(
                                                LabelRequirement.in("idc", "idc-a", "idc-b"))),
                        aCluster("c"),
                        "affinity",
                        "does not match clusterAffinity (idc In [idc-a, idc-b])"),
                arguments(
                        "a cluster whose label is in a NotIn list is rejected",
                        anApp().withReplicas(1)
                                .withAffinity(
                                        ClusterSelector.expressions(
                                                LabelRequirement.notIn("idc", "idc-c"))),
                        aCluster("c").withLabel("idc", "idc-c"),
                        "affinity",
                        "does not match clusterAffinity (idc NotIn [idc-c])"),
                arguments(
                        "a cluster without the label of a NotIn expression matches",
                        anApp().withReplicas(1)
                                .withAffinity(
                                        ClusterSelector.expressions(
                                                LabelRequirement.notIn("idc", "idc-c"))),
                        aCluster("c"),
                        null,
                        null),
                arguments(
                        "a cluster without the label of an Exists expression is rejected",
                        anApp().withReplicas(1)
                                .withAffinity(
                                        ClusterSelector.expressions(
                                                LabelRequirement.exists("gpu"))),
                        aCluster("c"),
                        "affinity",
                        "does not match clusterAffinity (gpu Exists)"),
                arguments(
                        "a cluster with the label of a DoesNotExist expression is rejected",
                        anApp().withReplicas(1)
                                .withAffinity(
                                        ClusterSelector.expressions(
                                                LabelRequirement.doesNotExist("gpu"))),
                        aCluster("c").withLabel("gpu", "a100"),
                        "affinity",
                        "does not match clusterAffinity (gpu DoesNotExist)"),
                arguments(
                        "a cluster not among the affinity's names is rejected",
                        anApp().withReplicas(1).withAffinity(ClusterSelector.names("a", "b")),
                        aCluster("c"),
                        "affinity",
                        "does not match clusterAffinity (names [a, b])"),
                arguments(
                        "an untolerated NoSchedule taint rejects the cluster",
                        app,
                        aCluster("c").withTaint("dedicated", "t2", TaintEffect.NoSchedule),
                        "taints",
                        "untolerated taint dedicated=t2:NoSchedule"),
                arguments(
                        "an untolerated NoExecute taint rejects the cluster",
                        app,
                        aCluster("c").withTaint("maintenance", "", TaintEffect.NoExecute),
                        "taints",
                        "untolerated taint maintenance:NoExecute"),
                arguments(
                        "a PreferNoSchedule taint never filters",
                        app,
                        aCluster("c").withTaint("spot", "true", TaintEffect.PreferNoSchedule),
                        null,
                        null),
                arguments(
                        "an Equal toleration of another value does not tolerate the taint",
                        anApp().withReplicas(1)
                                .tolerating(
                                        Toleration.equal(
                                                "dedicated", "t1", TaintEffect.NoSchedule)),
                        aCluster("c").withTaint("dedicated", "t2", TaintEffect.NoSchedule),
                        "taints",
                        "untolerated taint dedicated=t2:NoSchedule"),
                arguments(
                        "an Equal toleration of the same key and value tolerates the taint",
                        anApp().withReplicas(1)
                                .tolerating(
                                        Toleration.equal(
                                                "dedicated", "t2", TaintEffect.NoSchedule)),
                        aCluster("c").withTaint("dedicated", "t2", TaintEffect.NoSchedule),
                        null,
                        null),
                arguments(
                        "an Exists toleration tolerates the key with any value",
                        anApp().withReplicas(1).tolerating(Toleration.exists("dedicated", null)),
                        aCluster("c").withTaint("dedicated", "t9", TaintEffect.NoExecute),
                        null,
                        null),
                arguments(
                        "an Exists toleration with an empty key tolerates every taint",
                        anApp().withReplicas(1).tolerating(Toleration.exists("", null)),
                        aCluster("c")
                                .withTaint("a", "1", TaintEffect.NoSchedule)
                                .withTaint("b", "", TaintEffect.NoExecute),
                        null,
                        null),
                arguments(
                        "a toleration for NoSchedule does not tolerate the same taint with NoExecute",
                        anApp().withReplicas(1)
                                .tolerating(
                                        Toleration.equal(
                                                "dedicated", "t1", TaintEffect.NoSchedule)),
                        aCluster("c").withTaint("dedicated", "t1", TaintEffect.NoExecute),
                        "taints",
                        "untolerated taint dedicated=t1:NoExecute"),
                arguments(
                        "a cluster without a spread label is rejected naming the label",
                        anApp().withReplicas(1).spreadBy("idc", 1, null),
                        aCluster("c"),
                        "spreadLabel",
                        "missing spread label idc"),
                arguments(
                        "a cluster without room for one replica's CPU is rejected with requested and free CPU",
                        app,
                        aCluster("c").withAllocatable(4000, 100_000, 100).withRequested(3500, 0, 0),
                        "fit",
                        "insufficient cpu: requested 1000m per replica, free 500m"),
                arguments(
                        "a cluster without room for one replica's memory is rejected",
                        app,
                        aCluster("c").withAllocatable(4000, 2000, 100).withRequested(0, 1500, 0),
                        "fit",
                        "insufficient memory: requested 1024Mi per replica, free 500Mi"),
                arguments(
                        "a cluster without a free pod is rejected",
                        app,
                        aCluster("c").withAllocatable(4000, 100_000, 110).withRequested(0, 0, 110),
                        "fit",
                        "insufficient pods: free 0"),
                arguments(
                        "a cluster requested beyond its allocatable has nothing free",
                        app,
                        aCluster("c").withAllocatable(4000, 100_000, 100).withRequested(5000, 0, 0),
                        "fit",
                        "insufficient cpu: requested 1000m per replica, free 0m"),
                arguments(
                        "a resource the app requests 0 of does not limit",
                        anApp().withReplicas(1).withResources(0, 1024),
                        aCluster("c").withAllocatable(0, 100_000, 100),
                        null,
                        null),
                arguments(
                        "DUPLICATED rejects a cluster that fits fewer than all replicas",
                        anApp().withReplicas(9).duplicated(),
                        aCluster("c").fitting(4),
                        "fit",
                        "insufficient cpu for 9 replicas (fits 4): requested 1000m per replica, free 4000m"),
                arguments(
                        "the state filter comes before the affinity filter",
                        anApp().withReplicas(1)
                                .withAffinity(ClusterSelector.label("region", "east")),
                        aCluster("c").withState(ClusterState.LOST),
                        "state",
                        "state LOST"),
                arguments(
                        "the affinity filter comes before the taint filter",
                        anApp().withReplicas(1)
                                .withAffinity(ClusterSelector.label("region", "east")),
                        aCluster("c").withTaint("x", "y", TaintEffect.NoSchedule),
                        "affinity",
                        "does not match clusterAffinity (region=east)"),
                arguments(
                        "the taint filter comes before the fit filter",
                        app,
                        aCluster("c").withTaint("x", "y", TaintEffect.NoSchedule).fitting(0),
                        "taints",
                        "untolerated taint x=y:NoSchedule"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filters(
            String behaviour,
            AppBuilder app,
            ClusterBuilder cluster,
            String filter,
            String reason) {
        ClusterDecision d = Fixtures.place(app, cluster).decisionOf("c");

        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.feasible()).isEqualTo(reason == null);
        assertThat(d.rejection() == null ? null : d.rejection().filter()).isEqualTo(filter);
        if (reason != null) {
            assertThat(d.replicas()).isZero();
        }
    }

    @Test
    @DisplayName(
            "a cluster outside the tenant's allowed clusters is rejected as not allowed for tenant")
    void tenantAllowedClusters() {
        PlacementRequest request =
                PlacementRequest.of(
                                anApp().withReplicas(2).build(),
                                Fixtures.clusters(
                                        aCluster("a").withLabel("owner", "t1"),
                                        aCluster("b").withLabel("owner", "t2")))
                        .withTenantAllowedClusters(ClusterSelector.label("owner", "t1"));

        Placement p = new Scheduler().place(request);

        assertThat(p.decisionOf("b").reason()).isEqualTo("not allowed for tenant");
        assertThat(p.decisionOf("b").rejection().filter()).isEqualTo("tenant");
        assertThat(p.asMap()).containsExactly(Map.entry("a", 2));
    }

    @Test
    @DisplayName("fit is the minimum over CPU, memory and pods, one pod per replica")
    void fitIsTheMinimumOverResources() {
        Placement p =
                Fixtures.place(
                        anApp().withReplicas(1).withResources(500, 512),
                        aCluster("c")
                                .withAllocatable(64_000, 262_144, 1_100)
                                .withRequested(12_000, 40_000, 200));

        // cpu: 52000 / 500 = 104; memory: 222144 / 512 = 433; pods: 900
        assertThat(p.decisionOf("c").fit()).isEqualTo(104);
    }
}
