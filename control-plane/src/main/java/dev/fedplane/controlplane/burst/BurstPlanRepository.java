package dev.fedplane.controlplane.burst;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BurstPlanRepository extends CrudRepository<BurstPlanRow, String> {

    @Query("SELECT * FROM burst_plans WHERE name > :after ORDER BY name LIMIT :limit")
    List<BurstPlanRow> page(String after, int limit);

    @Query(
            "SELECT * FROM burst_plans WHERE state NOT IN ('DONE', 'CANCELLED', 'FAILED') ORDER BY name")
    List<BurstPlanRow> unfinished();
}
