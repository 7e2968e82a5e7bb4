package dev.fedplane.controlplane.testing;

import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantQuota;

/** Builders of valid platform-API objects for tests; change what a test is about, keep the rest. */
public final class Fixtures {
    private Fixtures() {}

    public static Tenant.Builder aTenant(String name) {
        return Tenant.newBuilder()
                .setName(name)
                .setDisplayName("Tenant " + name)
                .putLabels("team", name);
    }

    public static Tenant.Builder aTenant(
            String name, long cpuMillis, long memoryMib, long replicas) {
        return aTenant(name)
                .setQuota(
                        TenantQuota.newBuilder()
                                .setCpuMillis(cpuMillis)
                                .setMemoryMib(memoryMib)
                                .setReplicas(replicas));
    }

    public static AppSpec.Builder aSpec(int replicas) {
        return AppSpec.newBuilder()
                .setImage("registry.example/web:1.0")
                .setReplicas(replicas)
                .setResources(Resources.newBuilder().setCpuMillis(500).setMemoryMib(512))
                .setPlacement(
                        PlacementPolicy.newBuilder()
                                .setReplicaScheduling(
                                        ReplicaScheduling.newBuilder()
                                                .setType(ReplicaScheduling.Type.DIVIDED)
                                                .setDivision(
                                                        ReplicaScheduling.Division
                                                                .STATIC_WEIGHTS)));
    }

    public static App.Builder anApp(String tenant, String name, int replicas) {
        return App.newBuilder().setTenant(tenant).setName(name).setSpec(aSpec(replicas));
    }

    public static Cluster.Builder aCluster(String name) {
        return Cluster.newBuilder()
                .setName(name)
                .setState(ClusterState.READY)
                .putLabels("region", "east")
                .putLabels("idc", "idc-a")
                .putLabels("tier", "idc")
                .setCapacity(
                        ClusterCapacity.newBuilder()
                                .setAllocatable(
                                        Resources.newBuilder()
                                                .setCpuMillis(64000)
                                                .setMemoryMib(262144)
                                                .setPods(1100))
                                .setRequested(
                                        Resources.newBuilder()
                                                .setCpuMillis(12000)
                                                .setMemoryMib(40000)
                                                .setPods(200)));
    }
}
