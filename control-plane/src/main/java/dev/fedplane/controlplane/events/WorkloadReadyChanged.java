package dev.fedplane.controlplane.events;

/**
 * An agent reported a different count of ready replicas for an app in its cluster: the app's status
 * needs rewriting (its placement does not). Published by the leader on the agent stream's thread;
 * listeners must not block.
 */
public record WorkloadReadyChanged(String tenant, String app) {}
