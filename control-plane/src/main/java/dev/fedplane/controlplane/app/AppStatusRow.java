package dev.fedplane.controlplane.app;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * The {@code app_status} table: the leader's placement of an app (JSON, null until placed) and its
 * status (JSON), with the epoch of the leader that wrote them.
 */
@MappedEntity("app_status")
public record AppStatusRow(@Id long appId, String status, long epoch, long updatedAt) {}
