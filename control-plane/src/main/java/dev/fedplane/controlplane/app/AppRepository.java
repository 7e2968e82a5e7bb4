package dev.fedplane.controlplane.app;

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

    /** The tenant's use summed over its apps: what {@code tenant_usage} must always equal. */
    @Query("SELECT tenant, SUM(replicas) AS replicas, SUM(replicas * cpu_millis) AS cpu_millis, "
            + "SUM(replicas * memory_mib) AS memory_mib FROM apps WHERE tenant = :tenant GROUP BY tenant")
    Optional<TenantUsageRow> sumUsageOf(String tenant);
}
