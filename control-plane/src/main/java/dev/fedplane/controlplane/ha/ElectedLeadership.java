package dev.fedplane.controlplane.ha;

import dev.fedplane.controlplane.common.DaemonThreads;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the etcd and ZooKeeper leaderships share: the listeners, this instance's term, the fence
 * record and the follower's view of the leader.
 *
 * <p>Threading: listeners are told on one thread of this object's own ("fedplane-leadership"), so
 * an election and the revocation after it reach them in that order. {@link #revoked} takes effect
 * at once for {@link #isLeader()} and {@link #epoch()} (anything stamped with the epoch stops on
 * its next read) and reaches the listeners as soon as the thread is free.
 *
 * <p>Fencing: an elected epoch is first recorded in the store ({@link LeaderEpochs#record}); when a
 * higher one is already there this instance does not lead and the implementation gives the election
 * up.
 */
abstract class ElectedLeadership implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(ElectedLeadership.class);

    protected final HaConfiguration config;
    private final LeaderEpochs epochs;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private volatile long epoch;
    private volatile LeaderInfo observed;

    ElectedLeadership(HaConfiguration config, LeaderEpochs epochs) {
        this.config = config;
        this.epochs = epochs;
        this.events = Executors.newSingleThreadExecutor(DaemonThreads.named("fedplane-leadership"));
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<LeaderInfo> leader() {
        long e = epoch;
        if (e > 0) {
            return Optional.of(self().withEpoch(e));
        }
        return Optional.ofNullable(observed);
    }

    @Override
    public LeaderInfo.Instance self() {
        return config.self();
    }

    /** The election reports a leader (or none); a follower redirects agents to it. */
    protected final void observed(LeaderInfo leader) {
        LeaderInfo before = observed;
        observed = leader;
        if (leader != null && (before == null || !before.equals(leader))) {
            LOG.info(
                    "{}: the leader is {} at {} (epoch {})",
                    config.self().id(),
                    leader.id(),
                    leader.address(),
                    leader.epoch());
        }
    }

    /**
     * The election says this instance leads with {@code newEpoch}. On the listeners' thread:
     * records the epoch in the store and, while {@code stillCandidate} holds, starts the listeners.
     * The future says whether this instance now leads (false: the store holds a higher epoch, the
     * store failed, or the candidacy ended meanwhile).
     */
    protected final CompletableFuture<Boolean> elected(
            long newEpoch, BooleanSupplier stillCandidate) {
        return CompletableFuture.supplyAsync(
                () -> {
                    if (!stillCandidate.getAsBoolean()) {
                        return false;
                    }
                    boolean recorded;
                    try {
                        recorded = epochs.record(newEpoch, config.self().id());
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "{}: could not record epoch {} in the store; giving the election up",
                                config.self().id(),
                                newEpoch,
                                e);
                        return false;
                    }
                    if (!recorded) {
                        LOG.error(
                                "{}: elected with epoch {} but the store holds a higher epoch; not leading. If the "
                                        + "election store (etcd / ZooKeeper) was wiped, its revisions restarted below the "
                                        + "recorded epoch: see the README",
                                config.self().id(),
                                newEpoch);
                        return false;
                    }
                    synchronized (this) {
                        if (!stillCandidate.getAsBoolean()) {
                            return false;
                        }
                        epoch = newEpoch;
                    }
                    LOG.info(
                            "{}: leading with epoch {} ({})", config.self().id(), newEpoch, mode());
                    for (Listener l : listeners) {
                        try {
                            l.onElected(newEpoch);
                        } catch (RuntimeException e) {
                            LOG.error("leadership listener {} failed to start", l, e);
                        }
                    }
                    return true;
                },
                events);
    }

    /**
     * Steps down at once: from now on {@link #epoch()} is 0; listeners stop in reverse order on the
     * listeners' thread. The implementation ends its candidacy before calling this, so that an
     * election still being recorded does not start after it. Idempotent.
     */
    protected final void revoked(String reason) {
        synchronized (this) {
            if (epoch == 0) {
                return;
            }
            LOG.warn("{}: no longer leading (epoch {}): {}", config.self().id(), epoch, reason);
            epoch = 0;
        }
        events.execute(
                () -> {
                    for (int i = listeners.size() - 1; i >= 0; i--) {
                        try {
                            listeners.get(i).onRevoked();
                        } catch (RuntimeException e) {
                            LOG.error("leadership listener {} failed to stop", listeners.get(i), e);
                        }
                    }
                });
    }

    /** Waits (bounded) for the listeners to have been told everything queued so far. */
    protected final void drainEvents(long timeoutMillis) {
        try {
            CompletableFuture.runAsync(() -> {}, events).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("leadership listeners still busy after {} ms", timeoutMillis);
        }
    }

    protected final void closeEvents() {
        events.shutdown();
    }
}
