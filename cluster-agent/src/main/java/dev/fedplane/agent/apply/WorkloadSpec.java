package dev.fedplane.agent.apply;

import java.util.List;
import java.util.Map;

/**
 * One app's Deployment in this cluster: named after the app, in the tenant's namespace. {@code
 * labels} and {@code annotations} come from the app's overrides for this cluster and go on the
 * Deployment and its pod template (never over the agent's own {@code fedplane.dev/} keys).
 */
public record WorkloadSpec(
        String tenant,
        String app,
        long appGeneration,
        String image,
        int replicas,
        long cpuMillis,
        long memoryMib,
        List<Port> ports,
        List<Env> env,
        long revision,
        int maxSurge,
        int maxUnavailable,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public WorkloadSpec {
        ports = List.copyOf(ports);
        env = List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** Without a revision, with Kubernetes' default RollingUpdate. */
    public WorkloadSpec(
            String tenant,
            String app,
            long appGeneration,
            String image,
            int replicas,
            long cpuMillis,
            long memoryMib,
            List<Port> ports,
            List<Env> env) {
        this(
                tenant,
                app,
                appGeneration,
                image,
                replicas,
                cpuMillis,
                memoryMib,
                ports,
                env,
                0,
                0,
                0,
                Map.of(),
                Map.of());
    }

    public WorkloadKey key() {
        return new WorkloadKey(tenant, app);
    }

    /**
     * @param name empty for none; @param protocol empty means TCP
     */
    public record Port(String name, int containerPort, String protocol) {}

    public record Env(String name, String value) {}
}
