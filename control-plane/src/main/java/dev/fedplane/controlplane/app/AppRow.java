package dev.fedplane.controlplane.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Version;

/**
 * The {@code apps} table: what people write. {@code replicas}, {@code cpuMillis} and {@code
 * memoryMib} repeat parts of the spec so that quota admission can sum them in SQL. The leader's
 * placement and status live in {@code app_status} ({@link AppStatusRow}).
 */
@MappedEntity("apps")
public record AppRow(
        @Id @GeneratedValue @Nullable Long id,
        String tenant,
        String name,
        long generation,
        int replicas,
        long cpuMillis,
        long memoryMib,
        String spec,
        @Version long resourceVersion,
        long createdAt,
        long updatedAt) {}
