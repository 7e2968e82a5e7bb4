package dev.fedplane.controlplane.app;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * The {@code app_placement} table: the leader's placement of an app (JSON) with the epoch of the
 * leader that wrote it.
 */
@MappedEntity("app_placement")
public record AppPlacementRow(@Id long appId, String placement, long epoch, long updatedAt) {}
