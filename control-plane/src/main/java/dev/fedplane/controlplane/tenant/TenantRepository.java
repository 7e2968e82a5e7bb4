package dev.fedplane.controlplane.tenant;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantRepository extends CrudRepository<TenantRow, String> {

    /** Locks the tenant's row until the transaction ends: serialises quota admission per tenant. */
    @Query("SELECT * FROM tenants WHERE name = :name FOR UPDATE")
    Optional<TenantRow> lockByName(String name);

    @Query("SELECT * FROM tenants WHERE name > :after ORDER BY name LIMIT :limit")
    List<TenantRow> page(String after, int limit);
}
