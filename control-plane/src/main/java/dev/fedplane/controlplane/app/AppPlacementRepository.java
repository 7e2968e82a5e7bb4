package dev.fedplane.controlplane.app;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/**
 * The leader's writes of {@code app_placement}; each refuses (0 rows) a row written by a higher
 * epoch.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppPlacementRepository extends CrudRepository<AppPlacementRow, Long> {

    @Query(
            "UPDATE app_placement SET placement = :placement, epoch = :epoch, updated_at = :updatedAt "
                    + "WHERE app_id = :appId AND epoch <= :epoch")
    long updatePlacement(long appId, String placement, long epoch, long updatedAt);

    /** Inserts the row unless one exists (or is being inserted); 1 when this one was. */
    @Query(
            "INSERT INTO app_placement (app_id, placement, epoch, updated_at) "
                    + "VALUES (:appId, :placement, :epoch, :updatedAt) ON CONFLICT DO NOTHING")
    long insertIfAbsent(long appId, String placement, long epoch, long updatedAt);

    /** Rows of apps that no longer exist. */
    @Query(
            "DELETE FROM app_placement WHERE NOT EXISTS (SELECT 1 FROM apps WHERE apps.id = app_placement.app_id)")
    long deleteOrphans();
}
