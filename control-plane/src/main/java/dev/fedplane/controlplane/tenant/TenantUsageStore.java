package dev.fedplane.controlplane.tenant;

import dev.fedplane.controlplane.store.Json;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The {@code tenant_usage} rows: what each tenant's apps ask for in all, kept equal to the sum over
 * its apps by every app write, and the tenant's admission lock. Callers own the transaction.
 */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class TenantUsageStore {
    private final TenantUsageRepository usage;

    public TenantUsageStore(TenantUsageRepository usage) {
        this.usage = usage;
    }

    /** Starts a new tenant's use at zero, with its quota copy. */
    public void create(String tenant, Tenant.Quota quota) {
        usage.save(new TenantUsageRow(tenant, 0, 0, 0));
        setQuota(tenant, quota);
    }

    public void delete(String tenant) {
        usage.deleteById(tenant);
    }

    /**
     * Takes the tenant's admission lock (see {@link TenantUsageRepository#lock}); empty when the
     * tenant does not exist.
     */
    public Optional<TenantDemand> lock(String tenant) {
        return usage.lock(tenant).map(TenantUsageStore::toDomain);
    }

    /**
     * Locks the tenant's usage row and returns it with the tenant's quota (its copy on that row).
     */
    public Optional<LockedUsage> lockWithQuota(String tenant) {
        return usage.lockWithQuota(tenant);
    }

    /**
     * Writes the copy of the tenant's quota on its usage row (with every tenant write that sets the
     * quota).
     */
    public void setQuota(String tenant, Tenant.Quota quota) {
        usage.setQuota(tenant, Json.write(quota));
    }

    /** What the tenant's apps ask for in all. */
    public TenantDemand of(String tenant) {
        return usage.findById(tenant)
                .map(TenantUsageStore::toDomain)
                .orElse(TenantDemand.none(tenant));
    }

    /** Adds {@code after - before} to the tenant's use; the tenant's row must exist. */
    public void add(String tenant, TenantDemand before, TenantDemand after) {
        if (usage.add(
                        tenant,
                        after.replicas() - before.replicas(),
                        after.cpuMillis() - before.cpuMillis(),
                        after.memoryMiB() - before.memoryMiB())
                != 1) {
            throw new IllegalStateException("tenant " + tenant + " has no usage row");
        }
    }

    static TenantDemand toDomain(TenantUsageRow r) {
        return new TenantDemand(r.tenant(), r.replicas(), r.cpuMillis(), r.memoryMib());
    }
}
