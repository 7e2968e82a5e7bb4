package dev.fedplane.controlplane.rollout;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Version;

/** The {@code app_rollouts} table; strategy and progress are JSON text. */
@MappedEntity("app_rollouts")
public record RolloutRow(
        @Id @GeneratedValue Long id,
        long appId,
        String tenant,
        String app,
        long fromRevision,
        long toRevision,
        String state,
        String strategy,
        String progress,
        String message,
        String createdBy,
        @Version long resourceVersion,
        long createdAt,
        long updatedAt) {}
