package dev.fedplane.controlplane.tenant;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Version;

/** The {@code tenants} table; nested parts are JSON text. */
@MappedEntity("tenants")
public record TenantRow(
        @Id String name,
        String displayName,
        String labels,
        String quota,
        String allowedClusters,
        String network,
        @Version long resourceVersion,
        long createdAt,
        long updatedAt) {}
