package dev.fedplane.controlplane.ha;

import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.store.StoreDialect;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The store's record of leader epochs, and the fence on leader-only writes.
 *
 * <p>{@link #check} runs inside the writing transaction and refuses the write when a higher epoch
 * has been recorded, so a deposed leader that wakes up late changes nothing. It holds a lock that
 * {@link #record} and {@link #takeNext} need exclusively until the write commits, so a new epoch is
 * recorded only after every write that passed the check under the old one has committed (or rolled
 * back), and every check after it sees the new epoch: fencing is exact. Fenced writers do not
 * serialise on that lock:
 *
 * <ul>
 *   <li>PostgreSQL: a shared row lock ({@code FOR SHARE}) on the record row (row 1). Any number of
 *       fenced transactions hold it at once; the recorder's {@code FOR UPDATE} waits for them all,
 *       and checks that start meanwhile wait for the recorder and then read its epoch.
 *   <li>H2, which has no shared row lock: {@value #STRIPES} stripe rows (ids 2 and up) that carry
 *       copies of the epoch. A check locks one stripe exclusively, chosen by the calling thread (so
 *       two checks in one transaction take the same stripe); the recorder locks row 1 and then
 *       every stripe, in id order, and raises them all with the record. Two writers wait for each
 *       other only when their threads share a stripe. A stripe not there yet (a store whose epoch
 *       no leader of this version recorded) falls back to locking row 1.
 * </ul>
 *
 * Writers take the fence first, before any row they write (the recorder holds row 1 while it waits
 * for stripes: a writer that held data rows before its stripe could deadlock with it).
 */
@Singleton
public class LeaderEpochs {
    /** Stripe rows on H2: ids 2 .. STRIPES + 1. */
    static final int STRIPES = 32;

    private final LeaderEpochRepository epochs;
    private final Clock clock;
    private final boolean sharedLocks;

    public LeaderEpochs(LeaderEpochRepository epochs, Clock clock, StoreDialect dialect) {
        this.epochs = epochs;
        this.clock = clock;
        this.sharedLocks = dialect.postgres();
    }

    /** Records and returns the next epoch, for an instance that just became leader. */
    @Transactional
    public long takeNext(String leaderId) {
        long next = epochs.lockEpoch() + 1;
        epochs.raise(next, leaderId, clock.millis());
        raiseStripes(next, leaderId);
        return next;
    }

    /**
     * Records the epoch an election gave {@code leaderId} (etcd's election revision, ZooKeeper's
     * latch sequence): raises the row when {@code epoch} is higher; true when this epoch may lead
     * (no higher one is recorded). Once it returns true, every write of a lower epoch is refused.
     */
    @Transactional
    public boolean record(long epoch, String leaderId) {
        long highest = sharedLocks ? epochs.shareEpoch() : stripedEpoch();
        if (highest > epoch) {
            return false;
        }
        if (highest < epoch) {
            epochs.raise(epoch, leaderId, clock.millis());
        }
        raiseStripes(epoch, leaderId);
        return true;
    }

    /**
     * Waits for every fenced write holding a stripe, then sets every stripe to {@code epoch}
     * (creating missing ones). The caller holds row 1.
     */
    private void raiseStripes(long epoch, String leaderId) {
        long at = clock.millis();
        Set<Integer> present = new HashSet<>(epochs.lockStripes());
        epochs.raiseStripes(epoch, leaderId, at);
        for (int id = 2; id <= STRIPES + 1; id++) {
            if (!present.contains(id)) {
                epochs.insertStripe(id, epoch, leaderId, at);
            }
        }
    }

    /** Refuses (UNAVAILABLE) when a higher epoch than {@code epoch} was recorded; see the class. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void check(long epoch) {
        long highest = sharedLocks ? epochs.shareEpoch() : stripedEpoch();
        if (highest > epoch) {
            throw FedplaneException.unavailable(
                    "leader epoch "
                            + epoch
                            + " was superseded by epoch "
                            + highest
                            + ": this instance no longer leads");
        }
    }

    private long stripedEpoch() {
        List<Long> stripe = epochs.lockStripe(stripeOf(Thread.currentThread()));
        return stripe.isEmpty() ? epochs.lockEpoch() : stripe.get(0);
    }

    /** The stripe row (2 .. STRIPES + 1) that {@code thread}'s checks lock on H2. */
    static int stripeOf(Thread thread) {
        return 2 + (int) Math.floorMod(thread.getId(), (long) STRIPES);
    }

    @Transactional(readOnly = true)
    public long highest() {
        return epochs.current();
    }
}
