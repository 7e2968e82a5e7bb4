package dev.fedplane.controlplane.burst;

import dev.fedplane.controlplane.events.BurstPlanChanged;
import dev.fedplane.controlplane.ha.LeaderEpochs;
import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.ResourceVersions;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Plans and their events in the store. Every public method is one transaction; an update of a plan
 * is a compare-and-set on its resource version (a lost race throws {@code
 * OptimisticLockException}), and the leader's updates are also fenced by its epoch. Thread-safe.
 */
@Singleton
public class BurstPlanStore {
    private static final int MAX_EVENTS = 1000;

    private final BurstPlanRepository plans;
    private final BurstEventRepository events;
    private final LeaderEpochs epochs;
    private final ApplicationEventPublisher<BurstPlanChanged> changes;

    public BurstPlanStore(
            BurstPlanRepository plans,
            BurstEventRepository events,
            LeaderEpochs epochs,
            ApplicationEventPublisher<BurstPlanChanged> changes) {
        this.plans = plans;
        this.events = events;
        this.epochs = epochs;
        this.changes = changes;
    }

    @Transactional
    public boolean exists(String name) {
        return plans.existsById(name);
    }

    /** Inserts a new plan and its first event. */
    @Transactional
    public BurstPlan insert(BurstPlan p, BurstPlan.Event first) {
        BurstPlan saved = fromRow(plans.save(toRow(p)));
        events.save(new BurstEventRow(null, p.name(), first.at(), first.kind(), first.message()));
        changes.publishEvent(new BurstPlanChanged(saved.name(), saved.state().name()));
        return saved;
    }

    @Transactional(readOnly = true)
    public Optional<BurstPlan> find(String name) {
        return plans.findById(name).map(BurstPlanStore::fromRow);
    }

    @Transactional(readOnly = true)
    public List<BurstPlan> page(String after, int limit) {
        return plans.page(after, limit).stream().map(BurstPlanStore::fromRow).toList();
    }

    @Transactional(readOnly = true)
    public List<BurstPlan> unfinished() {
        return plans.unfinished().stream().map(BurstPlanStore::fromRow).toList();
    }

    /** A user's write (cancel): compare-and-set on the version, with its events. */
    @Transactional
    public BurstPlan update(BurstPlan p, List<BurstPlan.Event> happened) {
        BurstPlan saved = fromRow(plans.update(toRow(p)));
        for (BurstPlan.Event e : happened) {
            events.save(new BurstEventRow(null, p.name(), e.at(), e.kind(), e.message()));
        }
        changes.publishEvent(new BurstPlanChanged(saved.name(), saved.state().name()));
        return saved;
    }

    /** The leader's write: {@link #update} fenced by {@code epoch}. */
    @Transactional
    public BurstPlan updateAsLeader(long epoch, BurstPlan p, List<BurstPlan.Event> happened) {
        epochs.check(epoch);
        return update(p, happened);
    }

    @Transactional(readOnly = true)
    public List<BurstPlan.Event> events(String plan) {
        return events.ofPlan(plan, MAX_EVENTS).stream()
                .map(r -> new BurstPlan.Event(r.at(), r.kind(), r.message()))
                .toList();
    }

    static BurstPlanRow toRow(BurstPlan p) {
        return new BurstPlanRow(
                p.name(),
                Json.write(p.spec()),
                p.state().name(),
                p.reason(),
                Json.write(p.progress()),
                p.cancelRequested(),
                p.createdBy(),
                ResourceVersions.toRow(p.resourceVersion()),
                p.createdAt(),
                p.updatedAt());
    }

    static BurstPlan fromRow(BurstPlanRow r) {
        return new BurstPlan(
                r.name(),
                Json.read(r.spec(), BurstPlan.Spec.class),
                BurstPlan.State.valueOf(r.state()),
                r.reason(),
                Json.read(r.progress(), BurstPlan.Progress.class),
                r.cancelRequested(),
                r.createdBy(),
                ResourceVersions.toApi(r.resourceVersion()),
                r.createdAt(),
                r.updatedAt());
    }
}
