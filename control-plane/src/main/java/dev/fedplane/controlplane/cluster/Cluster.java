package dev.fedplane.controlplane.cluster;

import dev.fedplane.controlplane.common.Quantities;
import java.util.List;
import java.util.Map;

/**
 * A member cluster. {@code health} comes from its agent; {@code cordoned} and {@code draining} from
 * operators; {@link #state()} combines them as DESIGN lists the states. Immutable.
 */
public record Cluster(
        String name,
        Map<String, String> labels,
        List<Taint> taints,
        Health health,
        boolean cordoned,
        boolean draining,
        Quantities allocatable,
        Quantities requested,
        Quantities managedRequested,
        double costPerCpuHour,
        String agentVersion,
        String kubernetesVersion,
        long lastHeartbeat,
        long readySince,
        long resourceVersion,
        long createdAt,
        long updatedAt) {

    public enum Health {
        PENDING,
        READY,
        NOT_READY,
        LOST
    }

    public enum State {
        PENDING,
        READY,
        NOT_READY,
        LOST,
        CORDONED,
        DRAINING
    }

    public record Taint(String key, String value, String effect) {}

    public Cluster {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
        agentVersion = agentVersion == null ? "" : agentVersion;
        kubernetesVersion = kubernetesVersion == null ? "" : kubernetesVersion;
        allocatable = allocatable == null ? Quantities.ZERO : allocatable;
        requested = requested == null ? Quantities.ZERO : requested;
        managedRequested = managedRequested == null ? Quantities.ZERO : managedRequested;
    }

    /**
     * What the cluster runs that Fedplane does not manage: the agent's requests minus its managed
     * part.
     */
    public Quantities unmanagedRequested() {
        return requested.minusFloored(managedRequested);
    }

    /**
     * Health first: an unhealthy cluster shows its health; a healthy one its operator's mark, if
     * any.
     */
    public State state() {
        if (health != Health.READY) {
            return State.valueOf(health.name());
        }
        if (draining) {
            return State.DRAINING;
        }
        return cordoned ? State.CORDONED : State.READY;
    }

    public Quantities free() {
        return allocatable.minusFloored(requested);
    }

    Cluster with(
            Map<String, String> labels,
            List<Taint> taints,
            double cost,
            Quantities allocatable,
            Quantities requested,
            long updatedAt) {
        return new Cluster(
                name,
                labels,
                taints,
                health,
                cordoned,
                draining,
                allocatable,
                requested,
                managedRequested,
                cost,
                agentVersion,
                kubernetesVersion,
                lastHeartbeat,
                readySince,
                resourceVersion,
                createdAt,
                updatedAt);
    }

    Cluster withMarks(boolean cordoned, boolean draining, long updatedAt) {
        return new Cluster(
                name,
                labels,
                taints,
                health,
                cordoned,
                draining,
                allocatable,
                requested,
                managedRequested,
                costPerCpuHour,
                agentVersion,
                kubernetesVersion,
                lastHeartbeat,
                readySince,
                resourceVersion,
                createdAt,
                updatedAt);
    }
}
