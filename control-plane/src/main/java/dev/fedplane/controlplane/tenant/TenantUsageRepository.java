package dev.fedplane.controlplane.tenant;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantUsageRepository extends CrudRepository<TenantUsageRow, String> {

    /**
     * Locks the tenant's usage row until the transaction ends. This row is the tenant's admission
     * lock: every write that changes what the tenant's apps use, or its quota, takes it first.
     */
    @Query("SELECT * FROM tenant_usage WHERE tenant = :tenant FOR UPDATE")
    Optional<TenantUsageRow> lock(String tenant);

    /** {@link #lock} returning the quota copy too: admission of a new app in one round trip. */
    @Query(
            "SELECT tenant, replicas, cpu_millis, memory_mib, quota FROM tenant_usage WHERE tenant = :tenant FOR UPDATE")
    Optional<LockedUsage> lockWithQuota(String tenant);

    /** Keeps the quota copy equal to the tenant's quota (JSON); written with the tenant. */
    @Query("UPDATE tenant_usage SET quota = :quota WHERE tenant = :tenant")
    long setQuota(String tenant, String quota);

    /** Adds a (possibly negative) change; 1 when the tenant's row exists. */
    @Query(
            "UPDATE tenant_usage SET replicas = replicas + :replicas, cpu_millis = cpu_millis + :cpuMillis, "
                    + "memory_mib = memory_mib + :memoryMib WHERE tenant = :tenant")
    long add(String tenant, long replicas, long cpuMillis, long memoryMib);
}
