package dev.fedplane.controlplane.app;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppRevisionRepository extends GenericRepository<AppRevisionRow, Long> {

    @Query(
            "INSERT INTO app_revisions (app_id, revision, generation, spec, created_at, created_by) "
                    + "VALUES (:appId, :revision, :generation, :spec, :createdAt, :createdBy)")
    void insert(
            long appId,
            long revision,
            long generation,
            String spec,
            long createdAt,
            String createdBy);

    /** The app's newest revision. */
    @Query("SELECT * FROM app_revisions WHERE app_id = :appId ORDER BY revision DESC LIMIT 1")
    Optional<AppRevisionRow> latest(long appId);

    @Query("SELECT * FROM app_revisions WHERE app_id = :appId AND revision = :revision")
    Optional<AppRevisionRow> find(long appId, long revision);

    /** Newest first. */
    @Query("SELECT * FROM app_revisions WHERE app_id = :appId ORDER BY revision DESC")
    List<AppRevisionRow> list(long appId);

    /** Drops the revisions older than {@code keepFrom}. */
    @Query("DELETE FROM app_revisions WHERE app_id = :appId AND revision < :keepFrom")
    long deleteOlderThan(long appId, long keepFrom);

    /** Drops the revisions older than {@code keepFrom} but {@code keep}. */
    @Query(
            "DELETE FROM app_revisions WHERE app_id = :appId AND revision < :keepFrom"
                    + " AND revision <> :keep")
    long deleteOlderThanExcept(long appId, long keepFrom, long keep);

    /** The newest revision of every app with a row id in [fromId, toId]. */
    @Query(
            "SELECT r.* FROM app_revisions r WHERE r.app_id BETWEEN :fromId AND :toId AND"
                    + " r.revision = (SELECT MAX(x.revision) FROM app_revisions x"
                    + " WHERE x.app_id = r.app_id)")
    List<AppRevisionRow> latestBetween(long fromId, long toId);

    @Query("DELETE FROM app_revisions WHERE app_id = :appId")
    long deleteAll(long appId);
}
