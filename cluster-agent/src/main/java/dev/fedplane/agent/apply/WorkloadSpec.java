package dev.fedplane.agent.apply;

import java.util.List;

/** One app's Deployment in this cluster: named after the app, in the tenant's namespace. */
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
        int maxUnavailable) {

    public WorkloadSpec {
        ports = List.copyOf(ports);
        env = List.copyOf(env);
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
                0);
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
