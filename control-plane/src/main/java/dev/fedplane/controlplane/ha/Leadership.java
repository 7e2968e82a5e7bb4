package dev.fedplane.controlplane.ha;

/**
 * Who leads. Only the leader reconciles, tracks health and holds agent streams; every instance
 * serves the platform API. The epoch is a number that only grows across leaders; it fences the
 * leader's store writes ({@link EpochFence}) and its messages to agents.
 */
public interface Leadership {

    /** Told, on a thread of the leadership's own, when this instance gains or loses leadership. */
    interface Listener {
        /** Start leader-only work; {@code epoch} stamps everything it writes or sends. */
        void onElected(long epoch);

        /** Stop leader-only work at once: the epoch is no longer ours. */
        void onRevoked();
    }

    boolean isLeader();

    /** The epoch of this instance's leadership; 0 when it does not lead. */
    long epoch();

    /** Listeners are told in registration order on election and in reverse order on revocation. */
    void addListener(Listener listener);
}
