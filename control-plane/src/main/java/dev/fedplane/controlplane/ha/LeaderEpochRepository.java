package dev.fedplane.controlplane.ha;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/**
 * Row 1 of {@code leader_epoch} is the record: the highest epoch any leader took. Rows 2 and up are
 * the fence's stripes (see {@link LeaderEpochs}): copies of row 1's epoch, written with it.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LeaderEpochRepository extends GenericRepository<LeaderEpochRow, Integer> {

    /** Locks the epoch row until the transaction ends and returns the highest epoch. */
    @Query("SELECT epoch FROM leader_epoch WHERE id = 1 FOR UPDATE")
    long lockEpoch();

    /**
     * Takes a shared lock on the epoch row until the transaction ends (PostgreSQL): any number of
     * transactions hold it at once; {@link #lockEpoch} waits for all of them, and they for it.
     */
    @Query("SELECT epoch FROM leader_epoch WHERE id = 1 FOR SHARE")
    long shareEpoch();

    /** Locks one stripe row until the transaction ends; empty when that stripe is not there yet. */
    @Query("SELECT epoch FROM leader_epoch WHERE id = :id FOR UPDATE")
    List<Long> lockStripe(int id);

    /** Locks every stripe row (in id order) and returns their ids. */
    @Query("SELECT id FROM leader_epoch WHERE id > 1 ORDER BY id FOR UPDATE")
    List<Integer> lockStripes();

    /** Records {@code epoch} if it is higher than the stored one; 1 when it was. */
    @Query(
            "UPDATE leader_epoch SET epoch = :epoch, leader_id = :leaderId, updated_at = :at WHERE id = 1 AND epoch < :epoch")
    long raise(long epoch, String leaderId, long at);

    /** Sets every stripe to {@code epoch}; the caller holds row 1 and every stripe. */
    @Query(
            "UPDATE leader_epoch SET epoch = :epoch, leader_id = :leaderId, updated_at = :at WHERE id > 1")
    long raiseStripes(long epoch, String leaderId, long at);

    @Query(
            "INSERT INTO leader_epoch (id, epoch, leader_id, updated_at) VALUES (:id, :epoch, :leaderId, :at)")
    void insertStripe(int id, long epoch, String leaderId, long at);

    @Query("SELECT epoch FROM leader_epoch WHERE id = 1")
    long current();
}
