package dev.fedplane.controlplane.burst;

import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.reconcile.ReconcileStore;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what a plan computation needs from the store, the way the reconciler reads it: clusters,
 * every app with its stored placement, the tenants and their summed demand. Thread-safe.
 */
@Singleton
public class BurstLiveState {
    private static final int BATCH = 500;
    private final ReconcileStore store;

    public BurstLiveState(ReconcileStore store) {
        this.store = store;
    }

    public BurstPlanner.Live read() {
        Map<String, Cluster> clusters = new TreeMap<>();
        for (Cluster c : store.clusters()) {
            clusters.put(c.name(), c);
        }
        List<AppStore.Stored> apps = new ArrayList<>();
        long after = 0;
        List<AppStore.Stored> batch;
        do {
            batch = store.appsWithStoredPlacementsAfter(after, BATCH);
            for (AppStore.Stored s : batch) {
                after = s.id();
                apps.add(s);
            }
        } while (batch.size() == BATCH);
        Map<String, Tenant> tenants = new HashMap<>();
        Map<String, TenantDemand> demand = new HashMap<>();
        for (AppStore.Stored s : apps) {
            String t = s.app().tenant();
            if (!tenants.containsKey(t)) {
                store.tenant(t).ifPresent(x -> tenants.put(t, x));
                demand.put(t, store.usage(t));
            }
        }
        return new BurstPlanner.Live(clusters, apps, tenants, demand);
    }

    /** Whether tenant {@code name} exists (it may have no apps). */
    public boolean tenantExists(String name) {
        return store.tenant(name).isPresent();
    }
}
