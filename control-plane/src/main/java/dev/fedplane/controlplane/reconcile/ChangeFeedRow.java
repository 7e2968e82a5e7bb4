package dev.fedplane.controlplane.reconcile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The {@code change_feed} table: one committed change, in commit order of its id (nearly). */
@MappedEntity("change_feed")
public record ChangeFeedRow(
        @Id @GeneratedValue @Nullable Long id,
        String kind,
        @Nullable String tenant,
        @Nullable String name,
        long at) {}
