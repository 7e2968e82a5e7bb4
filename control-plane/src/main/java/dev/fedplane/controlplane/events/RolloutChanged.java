package dev.fedplane.controlplane.events;

/**
 * A staged rollout of app {@code tenant}/{@code app} was written (started, moved on by the leader's
 * runner, paused, resumed, approved, aborted): the state it is now in. Published inside the writing
 * transaction; {@code TransactionalEventListener}s hear it after the commit (the console's live
 * view). The reconciler does not listen: a write that changes which revision a cluster runs
 * publishes {@link Changed} as well.
 */
public record RolloutChanged(String tenant, String app, String state) {}
