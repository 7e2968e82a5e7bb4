package dev.fedplane.controlplane.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditRepository extends CrudRepository<AuditRow, Long> {

    /** Newest first, ids below {@code before}. */
    @Query(
            "SELECT * FROM audit_events WHERE id < :before AND (:tenant = '' OR tenant = :tenant) ORDER BY id DESC LIMIT :limit")
    List<AuditRow> page(String tenant, long before, int limit);
}
