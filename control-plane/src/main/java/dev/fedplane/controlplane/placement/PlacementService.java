package dev.fedplane.controlplane.placement;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.app.Overrides;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantStore;
import dev.fedplane.scheduler.ClusterDecision;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.Scheduler;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Placement decisions for people: what the scheduler decides for an app over the clusters as they
 * are now, with every cluster's verdict. Thread-safe.
 */
@Singleton
public class PlacementService {
    private final Scheduler scheduler = new Scheduler();
    private final AppService apps;
    private final AppStore appStore;
    private final TenantStore tenants;
    private final ClusterStore clusters;
    private final Clock clock;

    public PlacementService(
            AppService apps,
            AppStore appStore,
            TenantStore tenants,
            ClusterStore clusters,
            Clock clock) {
        this.apps = apps;
        this.appStore = appStore;
        this.tenants = tenants;
        this.clusters = clusters;
        this.clock = clock;
    }

    /**
     * The reconciler's stored explanation of the app's current placement when it has placed the
     * current generation; until then, what the scheduler would decide now.
     */
    @Transactional(readOnly = true)
    public Explanation explain(Principal caller, String tenantName, String appName) {
        AppStore.Stored found = apps.getStored(caller, tenantName, appName);
        return explain(found.app(), found.placementJson(), null);
    }

    /**
     * An explanation and, per cluster of it that is still registered, the app's effective spec
     * there ({@link Overrides}), computed from the clusters' labels as they are now.
     */
    public record Explained(Explanation explanation, Map<String, Overrides.Effective> effective) {}

    /** {@link #explain} with every listed cluster's effective spec. */
    @Transactional(readOnly = true)
    public Explained explainWithEffective(Principal caller, String tenantName, String appName) {
        AppStore.Stored found = apps.getStored(caller, tenantName, appName);
        List<Cluster> all = clusters.all();
        Explanation e = explain(found.app(), found.placementJson(), all);
        Map<String, Cluster> byName = new HashMap<>();
        for (Cluster c : all) {
            byName.put(c.name(), c);
        }
        Map<String, Overrides.Effective> effective = new TreeMap<>();
        for (Explanation.Decision d : e.clusters()) {
            Cluster c = byName.get(d.cluster());
            if (c != null) {
                effective.put(
                        c.name(), Overrides.resolve(found.app().spec(), c.name(), c.labels()));
            }
        }
        return new Explained(e, effective);
    }

    /** The effective spec of one app in one cluster, with the app generation it comes from. */
    public record EffectiveOn(String cluster, long generation, Overrides.Effective effective) {}

    /**
     * The app's spec as registered cluster {@code clusterName} runs it, overrides applied;
     * NOT_FOUND for an unknown app or cluster. Readable like the app.
     */
    @Transactional(readOnly = true)
    public EffectiveOn effective(
            Principal caller, String tenantName, String appName, String clusterName) {
        Violations v = new Violations();
        v.requireDns1123Label("tenant", tenantName);
        v.requireDns1123Label("name", appName);
        v.requireDns1123Label("cluster", clusterName);
        v.throwIfAny();
        App app = apps.get(caller, tenantName, appName);
        Cluster c =
                clusters.find(clusterName)
                        .orElseThrow(() -> FedplaneException.notFound("cluster", clusterName));
        return new EffectiveOn(
                c.name(), app.generation(), Overrides.resolve(app.spec(), c.name(), c.labels()));
    }

    private Explanation explain(App app, String placementJson, List<Cluster> known) {
        String tenantName = app.tenant();
        StoredPlacement stored = StoredPlacement.fromJson(placementJson);
        if (stored != null
                && stored.explanation() != null
                && stored.generation() == app.generation()) {
            return stored.explanation();
        }
        Tenant tenant =
                tenants.find(tenantName)
                        .orElseThrow(() -> FedplaneException.notFound("tenant", tenantName));
        TenantDemand all = appStore.usageOf(tenantName);
        TenantDemand mine = AppStore.demandOf(tenantName, app.spec());
        Quantities others =
                new Quantities(
                        all.cpuMillis() - mine.cpuMillis(),
                        all.memoryMiB() - mine.memoryMiB(),
                        all.replicas() - mine.replicas());
        Placement p =
                scheduler.place(
                        SchedulerRequests.request(
                                app,
                                tenant,
                                SchedulerRequests.snapshot(known == null ? clusters.all() : known),
                                others,
                                null));
        return toExplanation(p, app.generation(), clock.millis());
    }

    public static Explanation toExplanation(Placement p, long generation, long now) {
        return new Explanation(
                p.placements().stream()
                        .map(r -> new Explanation.Share(r.cluster(), r.replicas()))
                        .toList(),
                p.unschedulable(),
                p.unschedulableReason() == null ? "" : p.unschedulableReason(),
                p.clusters().stream().map(PlacementService::toDecision).toList(),
                generation,
                now);
    }

    private static Explanation.Decision toDecision(ClusterDecision d) {
        return new Explanation.Decision(
                d.cluster(),
                d.feasible(),
                d.reason(),
                d.weight(),
                d.fit(),
                d.score(),
                d.replicas(),
                d.note());
    }
}
