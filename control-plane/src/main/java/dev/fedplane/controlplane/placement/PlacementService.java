package dev.fedplane.controlplane.placement;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantStore;
import dev.fedplane.scheduler.ClusterDecision;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.Scheduler;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;

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
        App app = found.app();
        StoredPlacement stored = StoredPlacement.fromJson(found.placementJson());
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
                                SchedulerRequests.snapshot(clusters.all()),
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
