package dev.fedplane.controlplane.app;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/**
 * The leader's writes of {@code app_status}; each refuses (0 rows) a row written by a higher epoch.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppStatusRepository extends CrudRepository<AppStatusRow, Long> {

    @Query(
            "UPDATE app_status SET status = :status, epoch = :epoch, updated_at = :updatedAt "
                    + "WHERE app_id = :appId AND epoch <= :epoch")
    long updateStatus(long appId, String status, long epoch, long updatedAt);

    /** Inserts the row unless one exists (or is being inserted); 1 when this one was. */
    @Query(
            "INSERT INTO app_status (app_id, status, epoch, updated_at) "
                    + "VALUES (:appId, :status, :epoch, :updatedAt) ON CONFLICT DO NOTHING")
    long insertIfAbsent(long appId, String status, long epoch, long updatedAt);

    /** Rows of apps that no longer exist. */
    @Query(
            "DELETE FROM app_status WHERE NOT EXISTS (SELECT 1 FROM apps WHERE apps.id = app_status.app_id)")
    long deleteOrphans();
}
