package dev.fedplane.controlplane.events;

/**
 * A burst plan was written (created, cancelled, or moved on by the leader's runner): its name and
 * the state it is now in. Published inside the writing transaction; {@code
 * TransactionalEventListener}s hear it after the commit (the console's live view).
 */
public record BurstPlanChanged(String name, String state) {}
