package dev.fedplane.controlplane.app;

import io.micronaut.core.annotation.Introspected;

/** What a tenant's apps ask for in all: replicas, and replicas x per-replica requests. */
@Introspected
public record TenantUsageRow(long replicas, long cpuMillis, long memoryMib) {
}
