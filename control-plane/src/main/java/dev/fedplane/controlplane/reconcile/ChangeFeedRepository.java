package dev.fedplane.controlplane.reconcile;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ChangeFeedRepository extends CrudRepository<ChangeFeedRow, Long> {

    @Query("SELECT * FROM change_feed WHERE id > :after ORDER BY id LIMIT :limit")
    List<ChangeFeedRow> after(long after, int limit);

    @Query("SELECT COALESCE(MAX(id), 0) FROM change_feed")
    long maxId();

    @Query("DELETE FROM change_feed WHERE at < :before")
    long prune(long before);
}
