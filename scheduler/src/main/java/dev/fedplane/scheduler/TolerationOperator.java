package dev.fedplane.scheduler;

/** How a toleration matches a taint's value, as in Kubernetes. */
public enum TolerationOperator {
    /** Key and value must be equal. */
    Equal,
    /** Only the key must be equal; an empty key tolerates every taint. */
    Exists
}
