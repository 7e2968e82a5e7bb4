package dev.fedplane.controlplane.testing;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builders of valid domain objects (no protobuf) for unit tests; change what a test is about, keep
 * the rest.
 */
public final class DomainFixtures {
    private DomainFixtures() {}

    /** A READY IDC cluster with 64 CPUs, 256 GiB and 1,100 pods, nothing requested yet. */
    public static ClusterBuilder aCluster(String name) {
        return new ClusterBuilder(name);
    }

    /** A tenant without quota, labelled {@code team=<name>}. */
    public static TenantBuilder aTenant(String name) {
        return new TenantBuilder(name);
    }

    /** A DIVIDED, STATIC_WEIGHTS app of 500m CPU and 512 MiB per replica, generation 1. */
    public static AppBuilder anApp(String tenant, String name, int replicas) {
        return new AppBuilder(tenant, name, replicas);
    }

    public static final class ClusterBuilder {
        private final String name;
        private final Map<String, String> labels =
                new TreeMap<>(Map.of("region", "east", "idc", "idc-a", "tier", "idc"));
        private Cluster.Health health = Cluster.Health.READY;
        private boolean cordoned;
        private boolean draining;
        private Quantities allocatable = new Quantities(64000, 262144, 1100);
        private Quantities requested = Quantities.ZERO;
        private long readySince = 1;

        private ClusterBuilder(String name) {
            this.name = name;
        }

        public ClusterBuilder withLabel(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public ClusterBuilder withHealth(Cluster.Health h) {
            health = h;
            return this;
        }

        public ClusterBuilder cordoned() {
            cordoned = true;
            return this;
        }

        public ClusterBuilder draining() {
            draining = true;
            return this;
        }

        public ClusterBuilder withAllocatable(long cpuMillis, long memoryMiB, long pods) {
            allocatable = new Quantities(cpuMillis, memoryMiB, pods);
            return this;
        }

        /** Requests of workloads Fedplane does not manage. */
        public ClusterBuilder withUnmanagedRequests(long cpuMillis, long memoryMiB, long pods) {
            requested = new Quantities(cpuMillis, memoryMiB, pods);
            return this;
        }

        public ClusterBuilder readySince(long millis) {
            readySince = millis;
            return this;
        }

        public Cluster build() {
            return new Cluster(
                    name,
                    labels,
                    List.of(),
                    health,
                    cordoned,
                    draining,
                    allocatable,
                    requested,
                    Quantities.ZERO,
                    0.0,
                    "1.0",
                    "1.30",
                    1,
                    readySince,
                    1,
                    1,
                    1);
        }
    }

    public static final class TenantBuilder {
        private final String name;
        private Tenant.Quota quota = Tenant.Quota.UNLIMITED;
        private final List<Tenant.ClusterQuota> caps = new ArrayList<>();
        private final List<Tenant.CrossTenantRule> crossTenant = new ArrayList<>();
        private final List<Tenant.EgressRule> egress = new ArrayList<>();

        private TenantBuilder(String name) {
            this.name = name;
        }

        public TenantBuilder withQuota(Long cpuMillis, Long memoryMiB, Long replicas) {
            quota = new Tenant.Quota(cpuMillis, memoryMiB, replicas, List.of());
            return this;
        }

        /** A per-cluster cap (null fields: no cap). */
        public TenantBuilder withClusterCap(
                String cluster, Long cpuMillis, Long memoryMiB, Long replicas) {
            caps.add(new Tenant.ClusterQuota(cluster, cpuMillis, memoryMiB, replicas));
            return this;
        }

        public TenantBuilder allowing(
                Tenant.Direction direction, String peer, String app, int port) {
            crossTenant.add(new Tenant.CrossTenantRule(direction, peer, app, port));
            return this;
        }

        public TenantBuilder withEgress(String cidr, int port) {
            egress.add(new Tenant.EgressRule(cidr, port, "TCP"));
            return this;
        }

        public Tenant build() {
            Tenant.Quota q =
                    new Tenant.Quota(quota.cpuMillis(), quota.memoryMiB(), quota.replicas(), caps);
            return new Tenant(
                    name,
                    "Tenant " + name,
                    Map.of("team", name),
                    q,
                    ClusterSelector.ALL,
                    new Tenant.NetworkRules(egress, crossTenant),
                    1,
                    1,
                    1);
        }
    }

    public static final class AppBuilder {
        private final String tenant;
        private final String name;
        private int replicas;
        private long generation = 1;
        private App.Type type = App.Type.DIVIDED;
        private boolean failback;
        private App.Status status = App.Status.NONE;
        private List<App.ClusterOverride> overrides = List.of();
        private List<App.Weight> weights = List.of();

        private AppBuilder(String tenant, String name, int replicas) {
            this.tenant = tenant;
            this.name = name;
            this.replicas = replicas;
        }

        public AppBuilder withReplicas(int n) {
            replicas = n;
            return this;
        }

        public AppBuilder withGeneration(long g) {
            generation = g;
            return this;
        }

        public AppBuilder duplicated() {
            type = App.Type.DUPLICATED;
            return this;
        }

        public AppBuilder withFailback() {
            failback = true;
            return this;
        }

        public AppBuilder withOverrides(App.ClusterOverride... o) {
            overrides = List.of(o);
            return this;
        }

        /** A static weight for the clusters named. */
        public AppBuilder withWeight(int weight, String... clusters) {
            weights =
                    java.util.stream.Stream.concat(
                                    weights.stream(),
                                    java.util.stream.Stream.of(
                                            new App.Weight(
                                                    new ClusterSelector(
                                                            List.of(clusters),
                                                            java.util.Map.of(),
                                                            List.of()),
                                                    weight)))
                            .toList();
            return this;
        }

        public AppBuilder withStatus(App.Status s) {
            status = s;
            return this;
        }

        public App build() {
            App.Policy policy =
                    new App.Policy(
                            ClusterSelector.ALL,
                            List.of(),
                            type,
                            App.Division.STATIC_WEIGHTS,
                            weights,
                            List.of(),
                            List.of(),
                            null,
                            failback);
            App.Spec spec =
                    new App.Spec(
                            "registry.example/web:1.0",
                            replicas,
                            500,
                            512,
                            List.of(),
                            List.of(),
                            policy,
                            overrides,
                            null);
            return new App(tenant, name, generation, spec, status, 1, 1, 1);
        }
    }
}
