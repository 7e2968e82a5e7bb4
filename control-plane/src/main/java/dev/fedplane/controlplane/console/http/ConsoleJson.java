package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.capacity.TenantUsage;
import dev.fedplane.controlplane.capacity.WaterLevel;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.console.CapacityHistory;
import dev.fedplane.controlplane.console.ConsoleQueries;
import dev.fedplane.controlplane.placement.Explanation;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of {@code /api/v1}: the only place where domain records become console JSON.
 * Field names are camelCase; quantities are {@code {cpuMillis, memoryMiB, pods}}; times are epoch
 * milliseconds. Fields are only ever added.
 */
final class ConsoleJson {
    private ConsoleJson() {}

    record Session(String tokenId, String role, @Nullable String tenant) {}

    record ClusterJson(
            String name,
            String state,
            Map<String, String> labels,
            List<Cluster.Taint> taints,
            Quantities allocatable,
            Quantities requested,
            Quantities free,
            double costPerCpuHour,
            String agentVersion,
            String kubernetesVersion,
            long lastHeartbeat,
            long resourceVersion) {
        static ClusterJson of(Cluster c) {
            return new ClusterJson(
                    c.name(),
                    c.state().name(),
                    c.labels(),
                    c.taints(),
                    c.allocatable(),
                    c.requested(),
                    c.free(),
                    c.costPerCpuHour(),
                    c.agentVersion(),
                    c.kubernetesVersion(),
                    c.lastHeartbeat(),
                    c.resourceVersion());
        }
    }

    record ClusterList(List<ClusterJson> clusters) {}

    record ClusterDetail(
            ClusterJson cluster,
            List<CapacityHistory.Sample> history,
            List<ConsoleQueries.AppOnCluster> apps) {}

    record AppJson(
            String tenant,
            String name,
            long generation,
            long observedGeneration,
            String image,
            int replicas,
            long cpuMillis,
            long memoryMiB,
            String type,
            int desired,
            int ready,
            int unschedulable,
            String unschedulableReason,
            List<App.ClusterReplicas> clusters,
            List<App.Condition> conditions,
            long resourceVersion,
            long updatedAt) {
        static AppJson of(App a) {
            int desired = 0;
            int ready = 0;
            for (App.ClusterReplicas cr : a.status().clusters()) {
                desired += cr.desired();
                ready += cr.ready();
            }
            return new AppJson(
                    a.tenant(),
                    a.name(),
                    a.generation(),
                    a.status().observedGeneration(),
                    a.spec().image(),
                    a.spec().replicas(),
                    a.spec().cpuMillis(),
                    a.spec().memoryMiB(),
                    a.spec().placement().type().name(),
                    desired,
                    ready,
                    a.status().unschedulable(),
                    a.status().unschedulableReason(),
                    a.status().clusters(),
                    a.status().conditions(),
                    a.resourceVersion(),
                    a.updatedAt());
        }
    }

    record AppList(List<AppJson> apps, String nextPageToken) {}

    record AppDetail(AppJson app, Explanation explanation) {}

    record TenantJson(String name, String displayName, TenantUsage usage) {}

    record TenantList(List<TenantJson> tenants, String nextPageToken) {}

    record Capacity(String by, List<WaterLevel> levels, WaterLevel total) {}

    /** The body of every error answer: the gRPC code's name, a sentence, and invalid fields. */
    record ApiError(
            String code, String message, List<FedplaneException.FieldViolation> violations) {}

    @Introspected
    record ScaleRequest(@Nullable Integer replicas, @Nullable Long resourceVersion) {}

    @Introspected
    record MarkRequest(@Nullable Long resourceVersion) {}

    @Introspected
    record CreateAppRequest(
            @Nullable String tenant,
            @Nullable String name,
            @Nullable String image,
            @Nullable Integer replicas,
            @Nullable Long cpuMillis,
            @Nullable Long memoryMiB,
            @Nullable String type) {}
}
