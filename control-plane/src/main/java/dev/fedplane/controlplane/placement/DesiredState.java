package dev.fedplane.controlplane.placement;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one cluster's agent must apply: a namespace per tenant with replicas there, and a
 * workload per app placed there. Keys are sorted so that equal states serialise equally. Immutable.
 */
public record DesiredState(
        SortedMap<String, Namespace> namespaces, SortedMap<String, Workload> workloads) {
    public static final DesiredState EMPTY = new DesiredState(new TreeMap<>(), new TreeMap<>());

    public DesiredState {
        namespaces = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(namespaces));
        workloads = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(workloads));
    }

    /**
     * The namespace of one tenant in one cluster: its labels, its ResourceQuota there (what the
     * tenant's replicas there request, plus headroom) and its network rules (cross-tenant allows
     * only when both tenants agreed).
     */
    public record Namespace(
            String tenant,
            Map<String, String> labels,
            Quantities quota,
            Tenant.NetworkRules network) {
        public Namespace {
            labels = labels == null ? Map.of() : new TreeMap<>(labels);
            quota = quota == null ? Quantities.ZERO : quota;
            network = network == null ? Tenant.NetworkRules.NONE : network;
        }
    }

    /**
     * One app's share in one cluster; key {@code tenant/app}. Image, requests and env are the
     * cluster's effective ones ({@link dev.fedplane.controlplane.app.Overrides}); {@code labels}
     * and {@code annotations} come from the overrides only.
     */
    public record Workload(
            String tenant,
            String app,
            long appGeneration,
            String image,
            int replicas,
            long cpuMillis,
            long memoryMiB,
            List<App.Port> ports,
            List<App.EnvVar> env,
            long revision,
            int maxSurge,
            int maxUnavailable,
            SortedMap<String, String> labels,
            SortedMap<String, String> annotations) {
        public Workload {
            ports = ports == null ? List.of() : List.copyOf(ports);
            env = env == null ? List.of() : List.copyOf(env);
            labels =
                    java.util.Collections.unmodifiableSortedMap(
                            new TreeMap<>(labels == null ? Map.of() : labels));
            annotations =
                    java.util.Collections.unmodifiableSortedMap(
                            new TreeMap<>(annotations == null ? Map.of() : annotations));
        }

        /** This workload as a cluster with the effective spec {@code e} runs it. */
        public Workload with(dev.fedplane.controlplane.app.Overrides.Effective e) {
            return new Workload(
                    tenant,
                    app,
                    appGeneration,
                    e.image(),
                    replicas,
                    e.cpuMillis(),
                    e.memoryMiB(),
                    ports,
                    e.env(),
                    revision,
                    maxSurge,
                    maxUnavailable,
                    e.labels(),
                    e.annotations());
        }

        /**
         * A workload without a revision, with Kubernetes' default RollingUpdate and no override
         * labels or annotations.
         */
        public Workload(
                String tenant,
                String app,
                long appGeneration,
                String image,
                int replicas,
                long cpuMillis,
                long memoryMiB,
                List<App.Port> ports,
                List<App.EnvVar> env) {
            this(
                    tenant,
                    app,
                    appGeneration,
                    image,
                    replicas,
                    cpuMillis,
                    memoryMiB,
                    ports,
                    env,
                    0,
                    0,
                    0,
                    null,
                    null);
        }

        public String key() {
            return tenant + "/" + app;
        }
    }

    /** What turns {@code from} into {@code to}. */
    public record Delta(
            List<Namespace> upsertNamespaces,
            List<String> removeNamespaces,
            List<Workload> upsertWorkloads,
            List<String> removeWorkloads) {
        public boolean isEmpty() {
            return upsertNamespaces.isEmpty()
                    && removeNamespaces.isEmpty()
                    && upsertWorkloads.isEmpty()
                    && removeWorkloads.isEmpty();
        }
    }

    public static Delta diff(DesiredState from, DesiredState to) {
        List<Namespace> upNs =
                to.namespaces.values().stream()
                        .filter(n -> !n.equals(from.namespaces.get(n.tenant())))
                        .toList();
        List<String> rmNs =
                from.namespaces.keySet().stream()
                        .filter(k -> !to.namespaces.containsKey(k))
                        .toList();
        List<Workload> upW =
                to.workloads.values().stream()
                        .filter(w -> !w.equals(from.workloads.get(w.key())))
                        .toList();
        List<String> rmW =
                from.workloads.keySet().stream().filter(k -> !to.workloads.containsKey(k)).toList();
        return new Delta(upNs, rmNs, upW, rmW);
    }
}
