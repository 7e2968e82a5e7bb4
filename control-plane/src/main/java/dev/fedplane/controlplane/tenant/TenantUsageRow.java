package dev.fedplane.controlplane.tenant;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * The {@code tenant_usage} table: what a tenant's apps ask for in all, replicas and replicas x
 * per-replica requests. Kept equal to the sum over the tenant's apps by every app write.
 */
@MappedEntity("tenant_usage")
public record TenantUsageRow(@Id String tenant, long replicas, long cpuMillis, long memoryMib) {}
