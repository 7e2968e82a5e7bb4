package dev.fedplane.controlplane.placement;

import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.StoreTimed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * Per-cluster desired state and its generation, in the store so that generations resume after a
 * restart and an agent that already applied a generation is not sent it again. Callers own the
 * transaction; leader-only writers fence it first.
 */
@Singleton
@StoreTimed
public class DesiredStates {
    /** A cluster's current desired state and its generation (0: nothing ever desired). */
    public record Numbered(long generation, DesiredState state, long ackedGeneration) {}

    private final DesiredStateRepository repository;
    private final Clock clock;

    public DesiredStates(DesiredStateRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public Numbered get(String cluster) {
        Optional<DesiredStateRow> row = repository.findById(cluster);
        return row.map(
                        r ->
                                new Numbered(
                                        r.generation(),
                                        Json.read(r.state(), DesiredState.class),
                                        r.ackedGeneration()))
                .orElse(new Numbered(0, DesiredState.EMPTY, 0));
    }

    /**
     * Stores {@code state} under the next generation when it differs from the stored one; the
     * generation now.
     */
    public long put(String cluster, DesiredState state) {
        Optional<DesiredStateRow> row = repository.findById(cluster);
        String json = Json.write(state);
        if (row.isPresent() && row.get().state().equals(json)) {
            return row.get().generation();
        }
        if (row.isEmpty()) {
            repository.save(new DesiredStateRow(cluster, 1, json, 0, clock.millis()));
            return 1;
        }
        long next = row.get().generation() + 1;
        repository.update(
                new DesiredStateRow(
                        cluster, next, json, row.get().ackedGeneration(), clock.millis()));
        return next;
    }

    public void ack(String cluster, long generation) {
        repository.ack(cluster, generation);
    }
}
