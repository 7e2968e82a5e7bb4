package dev.fedplane.controlplane.ha;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LeaderEpochRepository extends GenericRepository<LeaderEpochRow, Integer> {

    /** Locks the epoch row until the transaction ends and returns the highest epoch. */
    @Query("SELECT epoch FROM leader_epoch WHERE id = 1 FOR UPDATE")
    long lockEpoch();

    /** Records {@code epoch} if it is higher than the stored one; 1 when it was. */
    @Query(
            "UPDATE leader_epoch SET epoch = :epoch, leader_id = :leaderId, updated_at = :at WHERE id = 1 AND epoch < :epoch")
    long raise(long epoch, String leaderId, long at);

    @Query("SELECT epoch FROM leader_epoch WHERE id = 1")
    long current();
}
