package dev.fedplane.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixture builders: {@code aCluster("a").withLabel("idc", "a")}, {@code anApp().withReplicas(9)}.
 */
final class Fixtures {

    private Fixtures() {}

    static ClusterBuilder aCluster(String name) {
        return new ClusterBuilder(name);
    }

    static AppBuilder anApp() {
        return new AppBuilder();
    }

    static final class ClusterBuilder {
        private final String name;
        private ClusterState state = ClusterState.READY;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<Taint> taints = new ArrayList<>();
        private Resources allocatable = Resources.of(64_000, 262_144, 1_100);
        private Resources requested = Resources.of(0, 0, 0);
        private double cost;

        ClusterBuilder(String name) {
            this.name = name;
        }

        ClusterBuilder withState(ClusterState value) {
            state = value;
            return this;
        }

        ClusterBuilder withLabel(String key, String value) {
            labels.put(key, value);
            return this;
        }

        ClusterBuilder inIdc(String idc) {
            return withLabel("idc", idc).withLabel("tier", "idc");
        }

        ClusterBuilder inCloud() {
            return withLabel("tier", "cloud");
        }

        ClusterBuilder withTaint(String key, String value, TaintEffect effect) {
            taints.add(Taint.of(key, value, effect));
            return this;
        }

        ClusterBuilder withAllocatable(long cpuMillis, long memoryMiB, long pods) {
            allocatable = Resources.of(cpuMillis, memoryMiB, pods);
            return this;
        }

        ClusterBuilder withRequested(long cpuMillis, long memoryMiB, long pods) {
            requested = Resources.of(cpuMillis, memoryMiB, pods);
            return this;
        }

        /**
         * Room for exactly {@code replicas} replicas of the default app (1000m, 1024Mi each), by
         * CPU.
         */
        ClusterBuilder fitting(long replicas) {
            allocatable = Resources.of(replicas * 1000, 1_000_000, 1_000_000);
            requested = Resources.NONE;
            return this;
        }

        ClusterBuilder withCost(double value) {
            cost = value;
            return this;
        }

        ClusterInfo build() {
            return new ClusterInfo(name, state, labels, taints, allocatable, requested, cost);
        }
    }

    static final class AppBuilder {
        private String name = "web";
        private int replicas = 9;
        private Resources resources = Resources.perReplica(1000, 1024);
        private ClusterSelector affinity;
        private final List<Toleration> tolerations = new ArrayList<>();
        private ReplicaScheduling scheduling = ReplicaScheduling.staticWeights();
        private final List<ClusterLimit> limits = new ArrayList<>();
        private final List<SpreadConstraint> spread = new ArrayList<>();
        private BurstPolicy burst;

        AppBuilder withName(String value) {
            name = value;
            return this;
        }

        AppBuilder withReplicas(int value) {
            replicas = value;
            return this;
        }

        AppBuilder withResources(long cpuMillis, long memoryMiB) {
            resources = Resources.perReplica(cpuMillis, memoryMiB);
            return this;
        }

        AppBuilder withAffinity(ClusterSelector value) {
            affinity = value;
            return this;
        }

        AppBuilder tolerating(Toleration value) {
            tolerations.add(value);
            return this;
        }

        AppBuilder duplicated() {
            scheduling = ReplicaScheduling.duplicated();
            return this;
        }

        AppBuilder aggregated() {
            scheduling = ReplicaScheduling.aggregated();
            return this;
        }

        AppBuilder dynamic() {
            scheduling = ReplicaScheduling.dynamic();
            return this;
        }

        AppBuilder staticWeights(ClusterWeight... weights) {
            scheduling = ReplicaScheduling.staticWeights(weights);
            return this;
        }

        AppBuilder withLimit(ClusterSelector clusters, Integer min, Integer max) {
            limits.add(ClusterLimit.of(clusters, min, max));
            return this;
        }

        AppBuilder spreadBy(String label, int minGroups, Integer maxGroups) {
            spread.add(SpreadConstraint.of(label, minGroups, maxGroups));
            return this;
        }

        AppBuilder withBurst(boolean allowCloud, Integer maxCloudReplicas) {
            burst = BurstPolicy.of(allowCloud, maxCloudReplicas);
            return this;
        }

        AppSpec build() {
            return new AppSpec(
                    "t1",
                    name,
                    replicas,
                    resources,
                    new PlacementPolicy(affinity, tolerations, scheduling, limits, spread, burst));
        }
    }

    static ClusterWeight weight(ClusterSelector clusters, long weight) {
        return ClusterWeight.of(clusters, weight);
    }

    static ClusterWeight weight(String clusterName, long weight) {
        return ClusterWeight.of(ClusterSelector.names(clusterName), weight);
    }

    static List<ClusterInfo> clusters(ClusterBuilder... builders) {
        List<ClusterInfo> list = new ArrayList<>();
        for (ClusterBuilder b : builders) {
            list.add(b.build());
        }
        return list;
    }

    static Placement place(AppBuilder app, ClusterBuilder... clusters) {
        return new Scheduler().place(PlacementRequest.of(app.build(), clusters(clusters)));
    }

    static Placement place(
            AppBuilder app, Map<String, Integer> current, ClusterBuilder... clusters) {
        return new Scheduler()
                .place(
                        PlacementRequest.of(app.build(), clusters(clusters))
                                .withCurrentPlacement(current));
    }
}
