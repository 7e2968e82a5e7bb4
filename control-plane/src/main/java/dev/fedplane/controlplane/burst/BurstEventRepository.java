package dev.fedplane.controlplane.burst;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BurstEventRepository extends CrudRepository<BurstEventRow, Long> {

    @Query("SELECT * FROM burst_events WHERE plan = :plan ORDER BY id LIMIT :limit")
    List<BurstEventRow> ofPlan(String plan, int limit);
}
