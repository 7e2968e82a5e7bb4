package dev.fedplane.scheduler;

/** One line of a placement: {@code replicas} (at least 1) on {@code cluster}. */
public record ClusterReplicas(String cluster, int replicas) {}
