package dev.fedplane.scheduler;

/** Lifecycle state of a member cluster. Only {@link #READY} clusters take replicas. */
public enum ClusterState {
    PENDING,
    READY,
    NOT_READY,
    LOST,
    CORDONED,
    DRAINING
}
