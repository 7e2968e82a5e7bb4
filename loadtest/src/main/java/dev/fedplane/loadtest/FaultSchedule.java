package dev.fedplane.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults of a run, drawn from a seed: the same seed and count give the same kinds, targets,
 * durations and gaps, in the same order. The short profile is fixed (one leader kill, one leader
 * pause, one etcd member loss); the long one draws every kind.
 */
final class FaultSchedule {

    enum Kind {
        /** SIGKILL of the leading control plane; it is started again afterwards. */
        KILL_LEADER,
        /** SIGKILL of a following control plane; it is started again afterwards. */
        KILL_FOLLOWER,
        /** SIGSTOP of the leader for {@code holdMillis} (a long GC pause), then SIGCONT. */
        PAUSE_LEADER,
        /** SIGKILL of one etcd member (quorum kept), started again after {@code holdMillis}. */
        ETCD_MEMBER_LOSS,
        /** SIGKILL of two etcd members (quorum lost), started again after {@code holdMillis}. */
        ETCD_QUORUM_LOSS,
        /**
         * The run's PostgreSQL database refuses connections and every backend connected to it is
         * terminated, for {@code holdMillis}; then connections are allowed again.
         */
        STORE_OUTAGE,
        /** {@code share} percent of the agents drop their streams at once and reconnect. */
        AGENT_STORM
    }

    /**
     * One fault: its kind, which etcd member or how many agents ({@code target}), how long it is
     * held, and the quiet time before it.
     */
    record Step(int index, Kind kind, int target, long holdMillis, long gapMillis) {}

    private FaultSchedule() {}

    /** The three faults of the CI profile, in order, with durations drawn from the seed. */
    static List<Step> shortProfile(long seed) {
        Random r = new Random(seed);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(0, Kind.KILL_LEADER, 0, 0, 2_000 + r.nextInt(1_000)));
        steps.add(new Step(1, Kind.PAUSE_LEADER, 0, 7_000 + r.nextInt(2_000), 2_000));
        steps.add(
                new Step(2, Kind.ETCD_MEMBER_LOSS, r.nextInt(3), 3_000 + r.nextInt(2_000), 2_000));
        return steps;
    }

    /** {@code count} faults drawn from the seed over every kind. */
    static List<Step> longProfile(long seed, int count) {
        return longProfile(seed, count, List.of(Kind.values()));
    }

    /** {@code count} faults drawn from the seed over {@code allowed} kinds. */
    static List<Step> longProfile(long seed, int count, List<Kind> allowed) {
        Random r = new Random(seed);
        Kind[] kinds = allowed.toArray(Kind[]::new);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Kind k = kinds[r.nextInt(kinds.length)];
            long hold =
                    switch (k) {
                        case KILL_LEADER, KILL_FOLLOWER -> 0;
                        case PAUSE_LEADER -> 3_000 + r.nextInt(9_000);
                        case ETCD_MEMBER_LOSS -> 2_000 + r.nextInt(6_000);
                        case ETCD_QUORUM_LOSS -> 2_000 + r.nextInt(6_000);
                        case STORE_OUTAGE -> 1_000 + r.nextInt(5_000);
                        case AGENT_STORM -> 0;
                    };
            int target =
                    switch (k) {
                        case ETCD_MEMBER_LOSS, ETCD_QUORUM_LOSS -> r.nextInt(EtcdCluster.SIZE);
                        case AGENT_STORM -> 20 + r.nextInt(81); // percent of the agents
                        case KILL_FOLLOWER -> r.nextInt(2); // which follower
                        default -> 0;
                    };
            steps.add(new Step(i, k, target, hold, 1_000 + r.nextInt(3_000)));
        }
        return steps;
    }
}
