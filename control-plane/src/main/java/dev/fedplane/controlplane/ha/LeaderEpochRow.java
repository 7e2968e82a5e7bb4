package dev.fedplane.controlplane.ha;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The single row of {@code leader_epoch}: the highest epoch any leader took. */
@MappedEntity("leader_epoch")
public record LeaderEpochRow(@Id Integer id, long epoch, String leaderId, long updatedAt) {}
