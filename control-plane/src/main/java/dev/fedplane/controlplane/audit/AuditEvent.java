package dev.fedplane.controlplane.audit;

/** One write, as the audit log keeps it: who, what, when and with what result. */
public record AuditEvent(
        long id,
        long at,
        String actor,
        String actorRole,
        String method,
        String tenant,
        String target,
        String result,
        String message) {}
