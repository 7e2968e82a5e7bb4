package dev.fedplane.controlplane.placement;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The {@code cluster_desired_state} table. */
@MappedEntity("cluster_desired_state")
public record DesiredStateRow(
        @Id String cluster, long generation, String state, long ackedGeneration, long updatedAt) {}
