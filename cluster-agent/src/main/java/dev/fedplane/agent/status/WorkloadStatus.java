package dev.fedplane.agent.status;

import java.util.List;

/** What one managed Deployment reports. */
public record WorkloadStatus(
        String tenant,
        String app,
        int desiredReplicas,
        int readyReplicas,
        List<Condition> conditions) {

    public WorkloadStatus {
        conditions = List.copyOf(conditions);
    }

    /** A Deployment condition; {@code lastTransitionUnixMillis} 0 when unknown. */
    public record Condition(
            String type,
            String status,
            String reason,
            String message,
            long lastTransitionUnixMillis) {}
}
