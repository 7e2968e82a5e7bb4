package dev.fedplane.scheduler;

/** The tenant's federation-wide quota; a null field is no limit. */
public record TenantQuota(Long cpuMillis, Long memoryMiB, Long replicas) {

    public TenantQuota {
        if ((cpuMillis != null && cpuMillis < 0)
                || (memoryMiB != null && memoryMiB < 0)
                || (replicas != null && replicas < 0)) {
            throw new IllegalArgumentException("tenant quota must not be negative");
        }
    }
}
