package dev.fedplane.controlplane.ha;

import java.util.Optional;

/**
 * Who leads. Only the leader reconciles, tracks health and holds agent streams; every instance
 * serves the platform API. The epoch is a number that only grows across leaders; it fences the
 * leader's store writes ({@link LeaderEpochs#check}) and its messages to agents.
 */
public interface Leadership {

    /** Told, on a thread of the leadership's own, when this instance gains or loses leadership. */
    interface Listener {
        /** Start leader-only work; {@code epoch} stamps everything it writes or sends. */
        void onElected(long epoch);

        /** Stop leader-only work at once: the epoch is no longer ours. */
        void onRevoked();
    }

    /** Whether this instance leads now: it holds an epoch. */
    default boolean isLeader() {
        return epoch() > 0;
    }

    /** The epoch of this instance's leadership; 0 when it does not lead. */
    long epoch();

    /** Listeners are told in registration order on election and in reverse order on revocation. */
    void addListener(Listener listener);

    /**
     * The leader as this instance last saw it (itself while it leads); empty when none is known. A
     * follower's view may lag the election by the time its watch takes to report.
     */
    Optional<LeaderInfo> leader();

    /** This instance's identity and agent address. */
    LeaderInfo.Instance self();

    /** {@code standalone}, {@code etcd} or {@code zookeeper}. */
    String mode();
}
