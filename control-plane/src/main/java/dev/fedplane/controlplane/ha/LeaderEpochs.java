package dev.fedplane.controlplane.ha;

import dev.fedplane.controlplane.common.FedplaneException;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The store's record of leader epochs, and the fence on leader-only writes. {@link #check} runs
 * inside the writing transaction: it locks the epoch row and refuses the write when a higher epoch
 * has been recorded, so a deposed leader that wakes up late changes nothing; the lock also orders a
 * new leader's {@link #takeNext} after any write that passed the check.
 */
@Singleton
public class LeaderEpochs {
    private final LeaderEpochRepository epochs;
    private final Clock clock;

    public LeaderEpochs(LeaderEpochRepository epochs, Clock clock) {
        this.epochs = epochs;
        this.clock = clock;
    }

    /** Records and returns the next epoch, for an instance that just became leader. */
    @Transactional
    public long takeNext(String leaderId) {
        long next = epochs.lockEpoch() + 1;
        epochs.raise(next, leaderId, clock.millis());
        return next;
    }

    /**
     * Records the epoch an election gave {@code leaderId} (etcd's election revision, ZooKeeper's
     * latch sequence): raises the row when {@code epoch} is higher; true when this epoch may lead
     * (no higher one is recorded). Once it returns true, every write of a lower epoch is refused.
     */
    @Transactional
    public boolean record(long epoch, String leaderId) {
        long highest = epochs.lockEpoch();
        if (highest > epoch) {
            return false;
        }
        if (highest < epoch) {
            epochs.raise(epoch, leaderId, clock.millis());
        }
        return true;
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void check(long epoch) {
        long highest = epochs.lockEpoch();
        if (highest > epoch) {
            throw FedplaneException.unavailable(
                    "leader epoch "
                            + epoch
                            + " was superseded by epoch "
                            + highest
                            + ": this instance no longer leads");
        }
    }

    @Transactional(readOnly = true)
    public long highest() {
        return epochs.current();
    }
}
