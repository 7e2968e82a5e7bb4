package dev.fedplane.controlplane.burst;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The {@code burst_events} table: one step of a plan's history. */
@MappedEntity("burst_events")
public record BurstEventRow(
        @Id @GeneratedValue @Nullable Long id, String plan, long at, String kind, String message) {}
