package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.ha.LeaderEpochs;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.placement.DesiredStates;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reconciler's reads and its writes. Every write is one transaction that first checks the
 * leader epoch ({@link LeaderEpochs#check}): a deposed leader's late write changes nothing.
 */
@Singleton
public class ReconcileStore {
    private final AppStore apps;
    private final TenantStore tenants;
    private final ClusterStore clusters;
    private final DesiredStates desired;
    private final LeaderEpochs epochs;
    private final Clock clock;

    public ReconcileStore(
            AppStore apps,
            TenantStore tenants,
            ClusterStore clusters,
            DesiredStates desired,
            LeaderEpochs epochs,
            Clock clock) {
        this.clock = clock;
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

    @Transactional(readOnly = true)
    public Optional<AppStore.Stored> app(String tenant, String name) {
        return apps.find(tenant, name);
    }

    @Transactional(readOnly = true)
    public List<AppStore.Stored> appsAfter(long afterId, int limit) {
        return apps.pageById(afterId, limit);
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
    public record AppWrite(long appId, String placementJson, App.Status status) {}

    /** App writes of a pass, in one fenced transaction. */
    @Transactional
    public void writeApps(long epoch, List<AppWrite> writes) {
        writeApps(epoch, writes, Map.of());
    }

    /**
     * App writes and clusters' desired states, in one fenced transaction; the clusters' generations
     * now (raised only where the state changed).
     */
    @Transactional
    public Map<String, Long> writeApps(
            long epoch, List<AppWrite> writes, Map<String, DesiredState> states) {
        if (writes.isEmpty() && states.isEmpty()) {
            return Map.of();
        }
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
