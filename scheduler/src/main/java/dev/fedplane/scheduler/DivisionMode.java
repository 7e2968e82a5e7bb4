package dev.fedplane.scheduler;

/** Where the weights of a {@link SchedulingType#DIVIDED} division come from. */
public enum DivisionMode {
    /** The policy's weight entries (no entries: every cluster weighs 1). */
    STATIC_WEIGHTS,
    /** A cluster weighs as many replicas as fit in it. */
    DYNAMIC
}
