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

    /** The app columns with the leader's status and placement (null before the first placement). */
    String VIEW_WITH_PLACEMENT =
            "SELECT a.id, a.tenant, a.name, a.generation, a.spec, a.resource_version, a.created_at, a.updated_at, "
                    + "s.status, p.placement FROM apps a LEFT JOIN app_status s ON s.app_id = a.id "
                    + "LEFT JOIN app_placement p ON p.app_id = a.id ";

    /**
     * The app columns with the leader's status, placement always null: the placement (a verdict per
     * cluster) is read only where it is needed.
     */
    String VIEW =
            "SELECT a.id, a.tenant, a.name, a.generation, a.spec, a.resource_version, a.created_at, a.updated_at, "
                    + "s.status, CAST(NULL AS VARCHAR) AS placement FROM apps a LEFT JOIN app_status s ON s.app_id = a.id ";

    @Query(VIEW_WITH_PLACEMENT + "WHERE a.tenant = :tenant AND a.name = :name")
    Optional<AppView> findViewWithPlacement(String tenant, String name);

    @Query(VIEW + "WHERE a.tenant = :tenant AND a.name = :name")
    Optional<AppView> findView(String tenant, String name);

    /**
     * The app's row locked until the transaction ends, status and placement null: what a write
     * reads after the tenant's admission lock. Read with the lock, not before it: on H2 a plain
     * read in a transaction that already read the row can return the version a concurrent writer
     * has replaced, and a compare-and-set on that version has been seen to succeed (a lost update
     * that left the tenant's use off its apps' sum); the locking read returns the row as committed.
     */
    @Query(
            "SELECT a.id, a.tenant, a.name, a.generation, a.spec, a.resource_version, a.created_at, a.updated_at, "
                    + "CAST(NULL AS VARCHAR) AS status, CAST(NULL AS VARCHAR) AS placement FROM apps a "
                    + "WHERE a.tenant = :tenant AND a.name = :name FOR UPDATE")
    Optional<AppView> lockView(String tenant, String name);

    boolean existsByTenantAndName(String tenant, String name);

    long countByTenant(String tenant);

    @Query(VIEW + "WHERE a.tenant = :tenant AND a.name > :after ORDER BY a.name LIMIT :limit")
    List<AppView> pageOfTenant(String tenant, String after, int limit);

    @Query(
            VIEW
                    + "WHERE a.tenant > :afterTenant OR (a.tenant = :afterTenant AND a.name > :afterName) "
                    + "ORDER BY a.tenant, a.name LIMIT :limit")
    List<AppView> pageAll(String afterTenant, String afterName, int limit);

    /**
     * Writes what people change (the spec and the columns repeating parts of it) if the row is
     * still at {@code expectedVersion}, raising it; 0 when it is not. Nothing else writes this row,
     * so 0 means the version moved.
     */
    @Query(
            "UPDATE apps SET generation = :generation, replicas = :replicas, cpu_millis = :cpuMillis, "
                    + "memory_mib = :memoryMib, spec = :spec, updated_at = :updatedAt, resource_version = resource_version + 1 "
                    + "WHERE id = :id AND resource_version = :expectedVersion")
    long updateSpec(
            long id,
            long generation,
            int replicas,
            long cpuMillis,
            long memoryMib,
            String spec,
            long updatedAt,
            long expectedVersion);

    @Query(VIEW + "WHERE a.id > :afterId ORDER BY a.id LIMIT :limit")
    List<AppView> pageById(long afterId, int limit);

    @Query(VIEW_WITH_PLACEMENT + "WHERE a.id > :afterId ORDER BY a.id LIMIT :limit")
    List<AppView> pageByIdWithPlacement(long afterId, int limit);

    /** The tenant's use summed over its apps: what {@code tenant_usage} must always equal. */
    @Query(
            "SELECT tenant, SUM(replicas) AS replicas, SUM(replicas * cpu_millis) AS cpu_millis, "
                    + "SUM(replicas * memory_mib) AS memory_mib FROM apps WHERE tenant = :tenant GROUP BY tenant")
    Optional<TenantUsageRow> sumUsageOf(String tenant);
}
