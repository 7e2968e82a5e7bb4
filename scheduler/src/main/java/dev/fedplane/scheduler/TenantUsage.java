package dev.fedplane.scheduler;

/** What the tenant's other apps use in all clusters. */
public record TenantUsage(long cpuMillis, long memoryMiB, long replicas) {

    public static final TenantUsage NONE = new TenantUsage(0, 0, 0);

    public TenantUsage {
        if (cpuMillis < 0 || memoryMiB < 0 || replicas < 0) {
            throw new IllegalArgumentException("tenant usage must not be negative");
        }
    }
}
