package dev.fedplane.controlplane.rollout;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RolloutRepository extends CrudRepository<RolloutRow, Long> {

    /** The app's latest rollout. */
    @Query("SELECT * FROM app_rollouts WHERE app_id = :appId ORDER BY id DESC LIMIT 1")
    Optional<RolloutRow> latest(long appId);

    /** The rollouts the runner moves along, oldest first. */
    @Query(
            "SELECT * FROM app_rollouts WHERE state IN ('PROGRESSING', 'WAITING_APPROVAL', 'PAUSED')"
                    + " ORDER BY id")
    List<RolloutRow> active();

    /** The rollouts that decide which revision each cluster runs (active ones and aborted ones). */
    @Query(
            "SELECT * FROM app_rollouts WHERE state IN ('PROGRESSING', 'WAITING_APPROVAL', 'PAUSED',"
                    + " 'ABORTED') ORDER BY id")
    List<RolloutRow> planning();

    @Query(
            "SELECT * FROM app_rollouts WHERE app_id = :appId AND state IN ('PROGRESSING',"
                    + " 'WAITING_APPROVAL', 'PAUSED', 'ABORTED') ORDER BY id DESC LIMIT 1")
    Optional<RolloutRow> planningOf(long appId);

    @Query("DELETE FROM app_rollouts WHERE app_id = :appId")
    long deleteOfApp(long appId);
}
