package dev.fedplane.controlplane.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

@MappedEntity("audit_events")
public record AuditRow(
        @Id @GeneratedValue @Nullable Long id,
        long at,
        String actor,
        String actorRole,
        String method,
        @Nullable String tenant,
        String target,
        String result,
        String message) {}
