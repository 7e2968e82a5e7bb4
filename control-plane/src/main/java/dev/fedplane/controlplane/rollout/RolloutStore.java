package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.events.RolloutChanged;
import dev.fedplane.controlplane.ha.LeaderEpochs;
import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.ResourceVersions;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rollouts in the store. Methods join the caller's transaction (or run in their own); an update is
 * a compare-and-set on the resource version (a lost race throws {@code OptimisticLockException}),
 * and the leader's updates are also fenced by its epoch. Every write publishes {@link
 * RolloutChanged} (the console's live view hears it after the commit). Thread-safe.
 */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class RolloutStore {
    private final RolloutRepository rows;
    private final LeaderEpochs epochs;
    private final ApplicationEventPublisher<RolloutChanged> changes;

    public RolloutStore(
            RolloutRepository rows,
            LeaderEpochs epochs,
            ApplicationEventPublisher<RolloutChanged> changes) {
        this.rows = rows;
        this.epochs = epochs;
        this.changes = changes;
    }

    @Transactional
    public AppRollout insert(AppRollout r) {
        return published(fromRow(rows.save(toRow(r))));
    }

    private AppRollout published(AppRollout r) {
        changes.publishEvent(new RolloutChanged(r.tenant(), r.app(), r.state().name()));
        return r;
    }

    @Transactional(readOnly = true)
    public Optional<AppRollout> latest(long appId) {
        return rows.latest(appId).map(RolloutStore::fromRow);
    }

    @Transactional(readOnly = true)
    public List<AppRollout> active() {
        return rows.active().stream().map(RolloutStore::fromRow).toList();
    }

    /**
     * By app id: the rollouts that decide which revision each cluster runs (the latest per app).
     */
    @Transactional(readOnly = true)
    public Map<Long, AppRollout> planning() {
        Map<Long, AppRollout> byApp = new HashMap<>();
        for (RolloutRow r : rows.planning()) {
            byApp.put(r.appId(), fromRow(r));
        }
        return byApp;
    }

    /** The app's rollout among {@link #planning()}, or null. */
    @Transactional(readOnly = true)
    public AppRollout planning(long appId) {
        return rows.planningOf(appId).map(RolloutStore::fromRow).orElse(null);
    }

    /** A user's write: compare-and-set on the version. */
    @Transactional
    public AppRollout update(AppRollout r) {
        return published(fromRow(rows.update(toRow(r))));
    }

    /** The leader's write: {@link #update} fenced by {@code epoch}. */
    @Transactional
    public AppRollout updateAsLeader(long epoch, AppRollout r) {
        epochs.check(epoch);
        return update(r);
    }

    @Transactional
    public void deleteOfApp(long appId) {
        rows.deleteOfApp(appId);
    }

    static RolloutRow toRow(AppRollout r) {
        return new RolloutRow(
                r.id() == 0 ? null : r.id(),
                r.appId(),
                r.tenant(),
                r.app(),
                r.fromRevision(),
                r.toRevision(),
                r.state().name(),
                Json.write(r.strategy()),
                Json.write(r.progress()),
                r.message(),
                r.createdBy(),
                ResourceVersions.toRow(r.resourceVersion()),
                r.createdAt(),
                r.updatedAt());
    }

    static AppRollout fromRow(RolloutRow r) {
        return new AppRollout(
                r.id(),
                r.appId(),
                r.tenant(),
                r.app(),
                r.fromRevision(),
                r.toRevision(),
                AppRollout.State.valueOf(r.state()),
                Json.read(r.strategy(), App.Rollout.class),
                Json.read(r.progress(), RolloutProgress.class),
                r.message(),
                r.createdBy(),
                ResourceVersions.toApi(r.resourceVersion()),
                r.createdAt(),
                r.updatedAt());
    }
}
