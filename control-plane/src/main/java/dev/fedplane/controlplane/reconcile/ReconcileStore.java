package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppRevision;
import dev.fedplane.controlplane.app.AppRevisions;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.app.PodTemplate;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.ha.LeaderEpochs;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.placement.DesiredStates;
import dev.fedplane.controlplane.rollout.AppRollout;
import dev.fedplane.controlplane.rollout.RolloutStore;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantStore;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reconciler's reads and its writes. Every write is one transaction that first checks the
 * leader epoch ({@link LeaderEpochs#check}): a deposed leader's late write changes nothing.
 *
 * <p>The leader keeps every app's stored placement in memory as a {@link PlacementDigest}: loaded
 * from the store once per election ({@link #appsWithPlacementAfter}, the rebuild) and replaced
 * after each placement write commits, so a pass neither re-reads nor re-parses the placement
 * documents (each holds a verdict per cluster). A write that fails leaves the digests as they were.
 */
@Singleton
public class ReconcileStore {
    private final AppStore apps;
    private final TenantStore tenants;
    private final ClusterStore clusters;
    private final DesiredStates desired;
    private final LeaderEpochs epochs;
    private final Clock clock;
    private final TransactionOperations<Connection> tx;
    private final Map<Long, PlacementDigest> placements = new ConcurrentHashMap<>();
    private final AppRevisions revisions;
    private final RolloutStore rollouts;
    private final io.micronaut.transaction.support.DefaultTransactionDefinition snapshot;

    public ReconcileStore(
            AppRevisions revisions,
            RolloutStore rollouts,
            AppStore apps,
            TenantStore tenants,
            ClusterStore clusters,
            DesiredStates desired,
            LeaderEpochs epochs,
            Clock clock,
            TransactionOperations<Connection> tx,
            dev.fedplane.controlplane.store.StoreDialect dialect) {
        this.snapshot = new io.micronaut.transaction.support.DefaultTransactionDefinition();
        this.snapshot.setReadOnly(true);
        // A consistent snapshot for reads only: PostgreSQL's REPEATABLE READ is one; H2's is per
        // table from its first read, its SERIALIZABLE is one for the whole transaction.
        this.snapshot.setIsolationLevel(
                dialect.postgres()
                        ? io.micronaut.transaction.TransactionDefinition.Isolation.REPEATABLE_READ
                        : io.micronaut.transaction.TransactionDefinition.Isolation.SERIALIZABLE);
        this.revisions = revisions;
        this.rollouts = rollouts;
        this.clock = clock;
        this.tx = tx;
        this.apps = apps;
        this.tenants = tenants;
        this.clusters = clusters;
        this.desired = desired;
        this.epochs = epochs;
    }

    @Transactional(readOnly = true)
    public List<Cluster> clusters() {
        return clusters.all();
    }

    /**
     * An app as a pass places it: its row, its current revision number (0: none) and the rollout
     * that decides which revision each of its clusters runs (null: none), all read from one
     * snapshot of the store. An update or a rollback writes the three in one transaction; read in
     * separate ones, a pass could meet the new revision with the old rollout, or the rollout's end
     * with the old revision, and send a cluster a revision its stage had not reached.
     */
    public record Planned(AppStore.Stored stored, long revision, AppRollout rollout) {}

    /** {@link Planned} of one app, from one snapshot; empty when the app does not exist. */
    public Optional<Planned> planned(String tenant, String name) {
        return tx.execute(
                snapshot,
                status ->
                        apps.find(tenant, name)
                                .map(
                                        s ->
                                                new Planned(
                                                        s,
                                                        revisions
                                                                .latest(s.id())
                                                                .map(AppRevision::revision)
                                                                .orElse(0L),
                                                        rollouts.planning(s.id()))));
    }

    /**
     * {@link Planned} of the apps after {@code afterId} by id, {@code limit} at most, without their
     * stored placements, from one snapshot.
     */
    public List<Planned> plannedAfter(long afterId, int limit) {
        return tx.execute(
                snapshot,
                status -> {
                    List<AppStore.Stored> page = apps.pageById(afterId, limit);
                    if (page.isEmpty()) {
                        return List.of();
                    }
                    Map<Long, Long> latest =
                            revisions.latestNumbersBetween(
                                    page.get(0).id(), page.get(page.size() - 1).id());
                    Map<Long, AppRollout> planning = rollouts.planning();
                    List<Planned> out = new java.util.ArrayList<>(page.size());
                    for (AppStore.Stored s : page) {
                        out.add(
                                new Planned(
                                        s, latest.getOrDefault(s.id(), 0L), planning.get(s.id())));
                    }
                    return out;
                });
    }

    /** A kept revision's template. */
    @Transactional(readOnly = true)
    public Optional<PodTemplate> template(long appId, long revision) {
        return revisions.find(appId, revision).map(AppRevision::template);
    }

    @Transactional(readOnly = true)
    public Optional<AppStore.Stored> app(String tenant, String name) {
        return apps.find(tenant, name);
    }

    /**
     * Apps after {@code afterId} by id with their stored placements, remembering nothing: for
     * previews on a copy of the stored state (what-if, dry runs).
     */
    @Transactional(readOnly = true)
    public List<AppStore.Stored> appsWithStoredPlacementsAfter(long afterId, int limit) {
        return apps.pageByIdWithPlacement(afterId, limit);
    }

    /**
     * Apps after {@code afterId} by id with their stored placements (after an election); each one's
     * digest is remembered.
     */
    @Transactional(readOnly = true)
    public List<AppStore.Stored> appsWithPlacementAfter(long afterId, int limit) {
        List<AppStore.Stored> page = apps.pageByIdWithPlacement(afterId, limit);
        for (AppStore.Stored s : page) {
            PlacementDigest d = PlacementDigest.ofJson(s.placementJson());
            if (d == null) {
                placements.remove(s.id());
            } else {
                placements.put(s.id(), d);
            }
        }
        return page;
    }

    /** The stored placement of app {@code id} as last read or written; null when none. */
    public PlacementDigest placement(long id) {
        return placements.get(id);
    }

    /** Forgets every remembered placement (a new leadership rebuilds them). */
    public void forgetPlacements() {
        placements.clear();
    }

    /** Forgets app {@code id}'s remembered placement (the app is gone). */
    public void forgetPlacement(long id) {
        placements.remove(id);
    }

    @Transactional(readOnly = true)
    public Optional<Tenant> tenant(String name) {
        return tenants.find(name);
    }

    @Transactional(readOnly = true)
    public TenantDemand usage(String tenant) {
        return apps.usageOf(tenant);
    }

    /** One app's new placement (null: unchanged) and status, for its {@code app_status} row. */
    public record AppWrite(
            long appId,
            String placementJson,
            App.Status status,
            dev.fedplane.controlplane.placement.StoredPlacement placement) {
        public AppWrite(long appId, String placementJson, App.Status status) {
            this(appId, placementJson, status, null);
        }
    }

    /** App writes of a pass, in one fenced transaction. */
    public void writeApps(long epoch, List<AppWrite> writes) {
        writeApps(epoch, writes, Map.of());
    }

    /**
     * App writes and clusters' desired states, in one fenced transaction; the clusters' generations
     * now (raised only where the state changed). Once it committed, the written placements are
     * remembered.
     */
    public Map<String, Long> writeApps(
            long epoch, List<AppWrite> writes, Map<String, DesiredState> states) {
        if (writes.isEmpty() && states.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> generations =
                tx.executeWrite(status -> writeAppsNow(epoch, writes, states));
        for (AppWrite w : writes) {
            if (w.placementJson() != null) {
                placements.put(
                        w.appId(),
                        w.placement() != null
                                ? PlacementDigest.of(w.placement())
                                : PlacementDigest.ofJson(w.placementJson()));
            }
        }
        return generations;
    }

    /**
     * The fence first, before any row is written (see {@link LeaderEpochs}). The fence does not
     * serialise fenced writers, so the upserts below are safe on their own (insert if absent, then
     * update); desired states are written by the reconciler's one thread.
     */
    private Map<String, Long> writeAppsNow(
            long epoch, List<AppWrite> writes, Map<String, DesiredState> states) {
        epochs.check(epoch);
        long now = clock.millis();
        for (AppWrite w : writes) {
            if (w.placementJson() == null) {
                apps.writeStatus(w.appId(), w.status(), epoch, now);
            } else {
                apps.writePlacement(w.appId(), w.placementJson(), w.status(), epoch, now);
            }
        }
        Map<String, Long> generations = new java.util.HashMap<>();
        states.forEach((cluster, state) -> generations.put(cluster, desired.put(cluster, state)));
        return generations;
    }

    /** Removes the placement and status rows of deleted apps; how many. */
    @Transactional
    public long forgetDeletedApps(long epoch) {
        epochs.check(epoch);
        return apps.deleteOrphanStatuses();
    }

    @Transactional
    public boolean finishDrain(long epoch, String cluster) {
        epochs.check(epoch);
        return clusters.finishDrain(cluster);
    }
}
