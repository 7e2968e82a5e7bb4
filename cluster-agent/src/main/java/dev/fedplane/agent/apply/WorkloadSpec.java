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
        List<Env> env) {

    public WorkloadSpec {
        ports = List.copyOf(ports);
        env = List.copyOf(env);
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
