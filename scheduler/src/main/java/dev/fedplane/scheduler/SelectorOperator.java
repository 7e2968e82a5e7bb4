package dev.fedplane.scheduler;

/** Operator of a label-selector requirement ({@code matchExpressions}), as in Kubernetes. */
public enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist
}
