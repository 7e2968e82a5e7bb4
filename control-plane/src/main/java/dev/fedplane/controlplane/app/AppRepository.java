package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.tenant.TenantUsageRow;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppRepository extends CrudRepository<AppRow, Long> {

    Optional<AppRow> findByTenantAndName(String tenant, String name);

    boolean existsByTenantAndName(String tenant, String name);

    long countByTenant(String tenant);

    @Query("SELECT * FROM apps WHERE tenant = :tenant AND name > :after ORDER BY name LIMIT :limit")
    List<AppRow> pageOfTenant(String tenant, String after, int limit);

    @Query("SELECT * FROM apps WHERE tenant > :afterTenant OR (tenant = :afterTenant AND name > :afterName) "
            + "ORDER BY tenant, name LIMIT :limit")
    List<AppRow> pageAll(String afterTenant, String afterName, int limit);

    /**
     * Writes what people change (the spec and the columns repeating parts of it) if the row is still at
     * {@code expectedVersion}, raising it; 0 when it is not. Status and placement are left alone.
     */
    @Query("UPDATE apps SET generation = :generation, replicas = :replicas, cpu_millis = :cpuMillis, "
            + "memory_mib = :memoryMib, spec = :spec, updated_at = :updatedAt, resource_version = resource_version + 1 "
            + "WHERE id = :id AND resource_version = :expectedVersion")
    long updateSpec(long id, long generation, int replicas, long cpuMillis, long memoryMib, String spec, long updatedAt,
                    long expectedVersion);

    @Query("SELECT COUNT(*) FROM apps WHERE id = :id AND resource_version = :version")
    long countAtVersion(long id, long version);

    /** The reconciler's decision and the status derived from it; does not raise resource_version. */
    @Query("UPDATE apps SET placement = :placement, status = :status WHERE id = :id")
    long writePlacement(long id, String placement, String status);

    /** Status from agents' reports; does not raise resource_version. */
    @Query("UPDATE apps SET status = :status WHERE id = :id")
    long writeStatus(long id, String status);

    @Query("SELECT * FROM apps WHERE id > :afterId ORDER BY id LIMIT :limit")
    List<AppRow> pageById(long afterId, int limit);

    /** The tenant's use summed over its apps: what {@code tenant_usage} must always equal. */
    @Query("SELECT tenant, SUM(replicas) AS replicas, SUM(replicas * cpu_millis) AS cpu_millis, "
            + "SUM(replicas * memory_mib) AS memory_mib FROM apps WHERE tenant = :tenant GROUP BY tenant")
    Optional<TenantUsageRow> sumUsageOf(String tenant);
}
