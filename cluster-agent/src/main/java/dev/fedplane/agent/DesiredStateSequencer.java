package dev.fedplane.agent;

/**
 * The fencing and ordering rules for control messages, apart from any I/O.
 *
 * <ul>
 *   <li>A message whose epoch is lower than the highest epoch seen is refused (a deposed leader's
 *       late message); a higher epoch raises the highest seen, even when the message then fails.
 *   <li>A full state is always applicable.
 *   <li>A delta applies only on top of the generation before it: {@code generation == lastApplied +
 *       1}.
 * </ul>
 *
 * Not thread-safe: the agent's loop thread owns it. Readers on other threads use the volatile
 * getters.
 */
final class DesiredStateSequencer {

    /** What to do with one message. */
    enum Verdict {
        APPLY,
        REFUSE_STALE_EPOCH,
        REJECT_GAP
    }

    private volatile long highestEpoch;
    private volatile long lastAppliedGeneration;

    Verdict admit(long epoch, long generation, boolean full) {
        if (epoch < highestEpoch) {
            return Verdict.REFUSE_STALE_EPOCH;
        }
        highestEpoch = epoch;
        if (!full && generation != lastAppliedGeneration + 1) {
            return Verdict.REJECT_GAP;
        }
        return Verdict.APPLY;
    }

    void applied(long generation) {
        lastAppliedGeneration = generation;
    }

    long highestEpoch() {
        return highestEpoch;
    }

    long lastAppliedGeneration() {
        return lastAppliedGeneration;
    }
}
