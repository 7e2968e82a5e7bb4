package dev.fedplane.controlplane.tenant;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/** A tenant's usage row as locked for admission, with the copy of its quota (JSON) kept there. */
@Introspected
public record LockedUsage(
        String tenant, long replicas, long cpuMillis, long memoryMib, @Nullable String quota) {

    public TenantDemand usage() {
        return new TenantDemand(tenant, replicas, cpuMillis, memoryMib);
    }
}
