package dev.fedplane.controlplane.burst;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Version;

/** The {@code burst_plans} table; spec and progress are JSON text. */
@MappedEntity("burst_plans")
public record BurstPlanRow(
        @Id String name,
        String spec,
        String state,
        String reason,
        String progress,
        boolean cancelRequested,
        String createdBy,
        @Version long resourceVersion,
        long createdAt,
        long updatedAt) {}
