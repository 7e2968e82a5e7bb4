package dev.fedplane.agent.status;

import java.util.List;

/** What one managed Deployment reports. */
public record WorkloadStatus(
        String tenant,
        String app,
        int desiredReplicas,
        int readyReplicas,
        List<Condition> conditions,
        long revision,
        int updatedReplicas,
        int availableReplicas) {

    public WorkloadStatus {
        conditions = List.copyOf(conditions);
    }

    /** Without revision progress (a Deployment without a revision annotation). */
    public WorkloadStatus(
            String tenant,
            String app,
            int desiredReplicas,
            int readyReplicas,
            List<Condition> conditions) {
        this(tenant, app, desiredReplicas, readyReplicas, conditions, 0, 0, 0);
    }

    /** A Deployment condition; {@code lastTransitionUnixMillis} 0 when unknown. */
    public record Condition(
            String type,
            String status,
            String reason,
            String message,
            long lastTransitionUnixMillis) {}
}
