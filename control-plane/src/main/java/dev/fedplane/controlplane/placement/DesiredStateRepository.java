package dev.fedplane.controlplane.placement;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DesiredStateRepository extends CrudRepository<DesiredStateRow, String> {

    @Query(
            "UPDATE cluster_desired_state SET acked_generation = :generation WHERE cluster = :cluster AND acked_generation < :generation")
    long ack(String cluster, long generation);
}
