package dev.fedplane.agent.apply;

/** A workload's identity: the Deployment {@code app} in namespace {@code tenant}. */
public record WorkloadKey(String tenant, String app) {}
