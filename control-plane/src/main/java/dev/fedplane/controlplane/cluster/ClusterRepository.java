package dev.fedplane.controlplane.cluster;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClusterRepository extends CrudRepository<ClusterRow, String> {

    @Query("SELECT * FROM clusters WHERE name > :after ORDER BY name LIMIT :limit")
    List<ClusterRow> page(String after, int limit);

    @Query("SELECT * FROM clusters ORDER BY name")
    List<ClusterRow> all();
}
