package dev.fedplane.agent.capacity;

/**
 * The cluster's capacity at one moment.
 *
 * @param allocatable sum over Ready nodes' allocatable
 * @param requested requests of every non-terminated pod, and their count
 * @param free {@code allocatable - requested}, never below 0
 * @param managedRequested the part of {@code requested} of pods labelled managed-by Fedplane
 */
public record CapacitySnapshot(
        Amounts allocatable, Amounts requested, Amounts free, Amounts managedRequested) {}
