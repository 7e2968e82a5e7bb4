package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.placement.StoredPlacement;
import dev.fedplane.controlplane.reconcile.AppKey;
import dev.fedplane.controlplane.reconcile.AppPlacer;
import dev.fedplane.controlplane.reconcile.PlacedApp;
import dev.fedplane.controlplane.reconcile.PlacementLedger;
import dev.fedplane.controlplane.reconcile.ReconcileStore;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * "Place these changes on a copy of the live state": the reconciler's own code path ({@link
 * AppPlacer} over a {@link PlacementLedger}) run on what the store holds now, changing nothing.
 *
 * <p>The copy is what a newly elected leader rebuilds: every app's stored placement in the ledger,
 * the clusters as stored. Then, as the reconciler would:
 *
 * <ul>
 *   <li>app changes (new replica counts, new apps) are placed one after the other in the order
 *       given, each seeing what the earlier ones took, as the reconciler places the app of each API
 *       write; the tenant's demand includes the changed specs (the API write would update it);
 *   <li>lost clusters are taken as {@code LOST} and every app is placed again in row order, as the
 *       reconciler's pass after a cluster's health change does.
 * </ul>
 *
 * <p>So the outcome is the placement the reconciler makes when the change is really made on the
 * same state (the what-if tests compare the two). It is a point-in-time answer: changes made
 * meanwhile (another write, a heartbeat with new capacity) may make the reconciler decide
 * differently. A later burst-plan dry run uses the same entry point.
 *
 * <p>Threading: thread-safe; each call works on its own copy. Cost: one read of every app and
 * cluster, then one scheduler run per placed app.
 */
@Singleton
public class PlacementPreview {
    private static final int BATCH = 500;

    /** One app change: an existing app at {@code spec} (a new count), or a new app. */
    public record AppChange(String tenant, String name, App.Spec spec, boolean create) {}

    /**
     * One app before and after: its replicas wanted, shares and what could not be placed. {@code
     * before} is null for a new app.
     */
    public record Outcome(
            AppKey key,
            App before,
            App after,
            Map<String, Integer> sharesBefore,
            Map<String, Integer> sharesAfter,
            int unschedulableBefore,
            int unschedulable,
            String unschedulableReason) {}

    /**
     * The clusters as taken (lost ones {@code LOST}), by name; the outcome of every app that was
     * placed again, in placement order.
     */
    public record Result(Map<String, Cluster> clusters, List<Outcome> outcomes) {}

    private final ReconcileStore store;
    private final Clock clock;
    private final Duration failbackWindow;

    public PlacementPreview(
            ReconcileStore store,
            Clock clock,
            @Value("${fedplane.reconciler.failback-window:60s}") Duration failbackWindow) {
        this.store = store;
        this.clock = clock;
        this.failbackWindow = failbackWindow;
    }

    /**
     * Places {@code changes} in order on a copy of the live state, with {@code lost} taken as LOST
     * (then every app is placed again in row order, changed ones with their new spec). The caller
     * has validated the changes: existing apps exist, new ones do not.
     */
    public Result preview(List<AppChange> changes, Set<String> lost) {
        long now = clock.millis();
        Map<String, Cluster> clusters = new TreeMap<>();
        for (Cluster c : store.clusters()) {
            clusters.put(c.name(), lost.contains(c.name()) ? asLost(c) : c);
        }
        Map<AppKey, AppChange> changed = new LinkedHashMap<>();
        for (AppChange ch : changes) {
            changed.put(new AppKey(ch.tenant(), ch.name()), ch);
        }
        Map<String, Optional<Tenant>> tenants = new HashMap<>();
        Map<String, TenantDemand> demand = new HashMap<>();
        PlacementLedger ledger = new PlacementLedger();
        List<AppStore.Stored> all = new ArrayList<>();
        Map<AppKey, AppStore.Stored> byKey = new HashMap<>();
        long after = 0;
        List<AppStore.Stored> batch;
        do {
            batch = store.appsWithStoredPlacementsAfter(after, BATCH);
            for (AppStore.Stored s : batch) {
                after = s.id();
                all.add(s);
                byKey.put(AppKey.of(s.app()), s);
                StoredPlacement sp = StoredPlacement.fromJson(s.placementJson());
                Optional<Tenant> t = tenant(tenants, s.app().tenant());
                if (sp != null && t.isPresent()) {
                    ledger.set(
                            new PlacedApp(
                                    s.id(),
                                    s.app(),
                                    sp.shares(),
                                    PlacedApp.perReplica(s.app()),
                                    t.get(),
                                    sp.explanation() == null ? 0 : sp.explanation().unschedulable(),
                                    sp.explanation() == null
                                            ? ""
                                            : sp.explanation().unschedulableReason()));
                }
            }
        } while (batch.size() == BATCH);

        // The tenants' demand as the API writes would leave it.
        for (Map.Entry<AppKey, AppChange> e : changed.entrySet()) {
            String tenant = e.getKey().tenant();
            TenantDemand d = demand.computeIfAbsent(tenant, store::usage);
            AppStore.Stored s = byKey.get(e.getKey());
            TenantDemand old =
                    s == null || e.getValue().create()
                            ? TenantDemand.none(tenant)
                            : AppStore.demandOf(tenant, s.app().spec());
            TenantDemand next = AppStore.demandOf(tenant, e.getValue().spec());
            demand.put(
                    tenant,
                    new TenantDemand(
                            tenant,
                            d.replicas() - old.replicas() + next.replicas(),
                            d.cpuMillis() - old.cpuMillis() + next.cpuMillis(),
                            d.memoryMiB() - old.memoryMiB() + next.memoryMiB()));
        }

        AppPlacer placer = new AppPlacer(failbackWindow, (t, a, c) -> 0);
        List<Outcome> outcomes = new ArrayList<>();
        if (!lost.isEmpty()) {
            for (AppStore.Stored s : all) {
                AppChange ch = changed.get(AppKey.of(s.app()));
                App app = ch == null ? s.app() : changedApp(s.app(), ch.spec(), now);
                place(placer, s.id(), app, s, clusters, ledger, tenants, demand, now)
                        .ifPresent(outcomes::add);
            }
        }
        long newId = -1;
        for (Map.Entry<AppKey, AppChange> e : changed.entrySet()) {
            if (!lost.isEmpty() && !e.getValue().create()) {
                continue; // placed above, in row order
            }
            AppChange ch = e.getValue();
            AppStore.Stored s = ch.create() ? null : byKey.get(e.getKey());
            App app =
                    s == null
                            ? new App(
                                    ch.tenant(),
                                    ch.name(),
                                    1,
                                    ch.spec(),
                                    AppStore.pending(now),
                                    1,
                                    now,
                                    now)
                            : changedApp(s.app(), ch.spec(), now);
            place(
                            placer,
                            s == null ? newId-- : s.id(),
                            app,
                            s,
                            clusters,
                            ledger,
                            tenants,
                            demand,
                            now)
                    .ifPresent(outcomes::add);
        }
        return new Result(clusters, outcomes);
    }

    private Optional<Outcome> place(
            AppPlacer placer,
            long id,
            App app,
            AppStore.Stored stored,
            Map<String, Cluster> clusters,
            PlacementLedger ledger,
            Map<String, Optional<Tenant>> tenants,
            Map<String, TenantDemand> demand,
            long now) {
        Optional<Tenant> tenant = tenant(tenants, app.tenant());
        if (tenant.isEmpty()) {
            return Optional.empty(); // the reconciler drops such an app
        }
        AppKey key = AppKey.of(app);
        PlacedApp before = ledger.get(key);
        AppPlacer.Decision d =
                placer.place(
                        id,
                        app,
                        stored == null ? null : stored.placementJson(),
                        tenant.get(),
                        clusters,
                        ledger,
                        demand.computeIfAbsent(app.tenant(), store::usage),
                        now);
        ledger.set(d.placed());
        return Optional.of(
                new Outcome(
                        key,
                        stored == null ? null : stored.app(),
                        app,
                        before == null ? Map.of() : new TreeMap<>(before.shares()),
                        new TreeMap<>(d.placed().shares()),
                        before == null ? 0 : before.unschedulable(),
                        d.placed().unschedulable(),
                        d.placed().unschedulableReason()));
    }

    private Optional<Tenant> tenant(Map<String, Optional<Tenant>> cache, String name) {
        return cache.computeIfAbsent(name, store::tenant);
    }

    /** The app as the API write would leave it: the new spec, the next generation. */
    private static App changedApp(App a, App.Spec spec, long now) {
        return new App(
                a.tenant(),
                a.name(),
                a.generation() + 1,
                spec,
                a.status(),
                a.resourceVersion(),
                a.createdAt(),
                now);
    }

    /** {@code c} as health tracking leaves a lost cluster. */
    static Cluster asLost(Cluster c) {
        return new Cluster(
                c.name(),
                c.labels(),
                c.taints(),
                Cluster.Health.LOST,
                c.cordoned(),
                c.draining(),
                c.allocatable(),
                c.requested(),
                c.managedRequested(),
                c.costPerCpuHour(),
                c.agentVersion(),
                c.kubernetesVersion(),
                c.lastHeartbeat(),
                c.readySince(),
                c.resourceVersion(),
                c.createdAt(),
                c.updatedAt());
    }
}
