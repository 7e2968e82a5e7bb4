package dev.fedplane.controlplane.burst;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.controlplane.placement.StoredPlacement;
import dev.fedplane.controlplane.reconcile.AppKey;
import dev.fedplane.controlplane.reconcile.AppPlacer;
import dev.fedplane.controlplane.reconcile.PlacedApp;
import dev.fedplane.controlplane.reconcile.PlacementLedger;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plan computation: where the targets' replicas would go at a given count, IDC first, cloud
 * only for the overflow, cheapest cloud first, within the budget; what it costs per hour, what does
 * not fit and which tenant quotas it hits. It places with the reconciler's own {@link AppPlacer}
 * over a {@link PlacementLedger} rebuilt from the stored placements (the reconciler's ledger as of
 * its last flush), so its answer is the placement the reconciler makes once the counts and policies
 * it returns are written. Pure: no I/O, no clock; not thread-safe (one per computation).
 *
 * <p>The targets are taken out of the ledger first and placed again one by one, in tenant/name
 * order (each sees what the earlier ones took), so the answer does not depend on where earlier ramp
 * steps left them. Per target:
 *
 * <ol>
 *   <li>place with cloud allowed and unlimited, only to learn which cloud clusters could take the
 *       app and how many replicas fit in each ({@code fit});
 *   <li>place IDC-only ({@code burst.allowCloud=false}): what IDC holds and the overflow;
 *   <li>give the overflow to the allowed cloud clusters (tier=cloud, READY, feasible, matching the
 *       plan's selector) in order of cost per CPU-hour, then name, each up to its fit, while the
 *       plan's cloud-replica and cost budgets last;
 *   <li>the app's event policy: its own policy plus {@code burst{allowCloud, maxCloudReplicas=the
 *       assigned total}} and a {@code maxReplicas} limit on every cloud cluster (what it was
 *       assigned, 0 for the others); placed once more, that is the answer, and it goes into the
 *       ledger for the next target.
 * </ol>
 */
public final class BurstPlanner {
    /** The live state a computation reads (the leader's or any instance's view of the store). */
    public record Live(
            Map<String, Cluster> clusters,
            List<AppStore.Stored> apps,
            Map<String, Tenant> tenants,
            Map<String, TenantDemand> demand) {}

    /**
     * One target app at the count this computation is for; {@code ownPolicy}: its pre-event
     * placement policy (null: the app's policy now, for a plan that has not started).
     */
    public record Planned(AppStore.Stored stored, int replicas, App.Policy ownPolicy) {
        public Planned(AppStore.Stored stored, int replicas) {
            this(stored, replicas, null);
        }
    }

    public record AppResult(
            String tenant,
            String app,
            int currentReplicas,
            int replicas,
            Map<String, Integer> shares,
            int idcReplicas,
            int cloudReplicas,
            int unschedulable,
            String unschedulableReason,
            double cloudCostPerHour,
            App.Policy policy) {}

    public record QuotaHit(
            String tenant, String resource, long quota, long needed, boolean raised) {}

    /**
     * A cluster whose load the targets change: requested now (as the cluster reports it) and at the
     * peak (now + the targets' peak shares - their current shares, CPU and memory per replica, one
     * pod each).
     */
    public record ClusterLevel(
            String cluster,
            boolean cloud,
            Quantities allocatable,
            Quantities requestedNow,
            Quantities requestedAtPeak) {}

    public record Result(
            List<AppResult> apps,
            int idcReplicas,
            int cloudReplicas,
            int unschedulable,
            double cloudCostPerHour,
            List<QuotaHit> quotaHits,
            List<String> notes,
            Map<String, Tenant.Quota> raisedQuotas,
            List<ClusterLevel> clusters) {}

    private final AppPlacer placer;

    public BurstPlanner(Duration failbackWindow) {
        this.placer = new AppPlacer(failbackWindow, (t, a, c) -> 0);
    }

    public static boolean isCloud(Cluster c) {
        return "cloud".equals(c.labels().get("tier"));
    }

    /** What one replica of {@code a} costs per hour on {@code c}. */
    public static double replicaCostPerHour(App a, Cluster c) {
        return a.spec().cpuMillis() / 1000.0 * c.costPerCpuHour();
    }

    public Result compute(
            Live live,
            List<Planned> targets,
            BurstPlan.Budget budget,
            ClusterSelector cloudClusters,
            boolean raiseQuotas,
            long now) {
        // The tenants' demand once every target is at its new count.
        Map<String, TenantDemand> demand = new HashMap<>(live.demand());
        for (Planned p : targets) {
            App a = p.stored().app();
            TenantDemand d = demand.getOrDefault(a.tenant(), TenantDemand.none(a.tenant()));
            TenantDemand before = AppStore.demandOf(a.tenant(), a.spec());
            TenantDemand after = AppStore.demandOf(a.tenant(), a.spec().withReplicas(p.replicas()));
            demand.put(
                    a.tenant(),
                    new TenantDemand(
                            a.tenant(),
                            d.replicas() - before.replicas() + after.replicas(),
                            d.cpuMillis() - before.cpuMillis() + after.cpuMillis(),
                            d.memoryMiB() - before.memoryMiB() + after.memoryMiB()));
        }
        List<QuotaHit> hits = new ArrayList<>();
        Map<String, Tenant> tenants = new HashMap<>(live.tenants());
        Map<String, Tenant.Quota> raised = new TreeMap<>();
        for (String name :
                targets.stream().map(p -> p.stored().app().tenant()).distinct().sorted().toList()) {
            Tenant t = tenants.get(name);
            if (t == null) {
                continue;
            }
            TenantDemand d = demand.get(name);
            Tenant.Quota q = t.quota();
            List<QuotaHit> mine = new ArrayList<>();
            hit(mine, name, "replicas", q.replicas(), d.replicas(), raiseQuotas);
            hit(mine, name, "cpu_millis", q.cpuMillis(), d.cpuMillis(), raiseQuotas);
            hit(mine, name, "memory_mib", q.memoryMiB(), d.memoryMiB(), raiseQuotas);
            hits.addAll(mine);
            if (raiseQuotas && !mine.isEmpty()) {
                Tenant.Quota up =
                        new Tenant.Quota(
                                raise(q.cpuMillis(), d.cpuMillis()),
                                raise(q.memoryMiB(), d.memoryMiB()),
                                raise(q.replicas(), d.replicas()),
                                q.perCluster());
                raised.put(name, up);
                tenants.put(name, withQuota(t, up));
            }
        }

        PlacementLedger ledger = new PlacementLedger();
        for (AppStore.Stored s : live.apps()) {
            StoredPlacement sp = StoredPlacement.fromJson(s.placementJson());
            Tenant t = tenants.get(s.app().tenant());
            if (sp != null && t != null) {
                ledger.set(
                        new PlacedApp(
                                s.id(),
                                s.app(),
                                sp.shares(),
                                PlacedApp.perReplica(s.app()),
                                t,
                                sp.explanation() == null ? 0 : sp.explanation().unschedulable(),
                                sp.explanation() == null
                                        ? ""
                                        : sp.explanation().unschedulableReason()));
            }
        }

        // The targets are placed afresh against everything else, so that every step (and a dry
        // run) gives the same peak whatever the earlier steps left where.
        for (Planned p : targets) {
            ledger.remove(AppKey.of(p.stored().app()));
        }
        List<Planned> ordered = new ArrayList<>(targets);
        ordered.sort(Comparator.comparing(p -> AppKey.of(p.stored().app()).toString()));
        int cloudLeft =
                budget.maxCloudReplicas() == null ? Integer.MAX_VALUE : budget.maxCloudReplicas();
        double costLeft =
                budget.maxCloudCostPerHour() == null
                        ? Double.MAX_VALUE
                        : budget.maxCloudCostPerHour();
        List<String> notes = new ArrayList<>();
        List<AppResult> results = new ArrayList<>();
        Map<String, long[]> delta = new TreeMap<>();
        int idcTotal = 0;
        int cloudTotal = 0;
        int unschedTotal = 0;
        double costTotal = 0;
        for (Planned p : ordered) {
            App app = p.stored().app();
            Tenant tenant = tenants.get(app.tenant());
            if (tenant == null) {
                continue;
            }
            App.Policy own = p.ownPolicy() != null ? p.ownPolicy() : app.spec().placement();
            AppPlacer.Decision probe =
                    place(
                            p,
                            withPolicy(app, p.replicas(), withBurst(own, true, null, null)),
                            tenant,
                            live,
                            ledger,
                            demand,
                            now);
            AppPlacer.Decision idcOnly =
                    place(
                            p,
                            withPolicy(app, p.replicas(), withBurst(own, false, null, null)),
                            tenant,
                            live,
                            ledger,
                            demand,
                            now);
            int overflow = idcOnly.placed().unschedulable();
            Map<String, Integer> assigned = new LinkedHashMap<>();
            int assignedTotal = 0;
            if (overflow > 0) {
                List<Explanation.Decision> candidates = new ArrayList<>();
                for (Explanation.Decision d : probe.placement().explanation().clusters()) {
                    Cluster c = live.clusters().get(d.cluster());
                    if (c != null
                            && isCloud(c)
                            && c.state() == Cluster.State.READY
                            && d.feasible()
                            && d.fit() > 0
                            && cloudClusters.matches(c.name(), c.labels())) {
                        candidates.add(d);
                    }
                }
                candidates.sort(
                        Comparator.comparingDouble(
                                        (Explanation.Decision d) ->
                                                live.clusters().get(d.cluster()).costPerCpuHour())
                                .thenComparing(Explanation.Decision::cluster));
                for (Explanation.Decision d : candidates) {
                    if (overflow == 0) {
                        break;
                    }
                    Cluster c = live.clusters().get(d.cluster());
                    double each = replicaCostPerHour(app, c);
                    long take = Math.min(overflow, d.fit());
                    if (take > cloudLeft) {
                        take = cloudLeft;
                        note(notes, "max_cloud_replicas " + budget.maxCloudReplicas() + " reached");
                    }
                    if (each > 0 && take * each > costLeft + 1e-9) {
                        take = (long) Math.floor((costLeft + 1e-9) / each);
                        note(
                                notes,
                                "max_cloud_cost_per_hour "
                                        + budget.maxCloudCostPerHour()
                                        + " reached");
                    }
                    if (take <= 0) {
                        continue;
                    }
                    assigned.put(c.name(), (int) take);
                    assignedTotal += (int) take;
                    overflow -= (int) take;
                    cloudLeft -= (int) take;
                    costLeft -= take * each;
                }
            }
            App.Policy natural = eventPolicy(own, assigned, assignedTotal, live.clusters());
            AppPlacer.Decision naturalDecision =
                    assignedTotal == 0
                            ? idcOnly
                            : place(
                                    p,
                                    withPolicy(app, p.replicas(), natural),
                                    tenant,
                                    live,
                                    ledger,
                                    demand,
                                    now);
            // Pinned to this answer, so that the reconciler, whatever order it places the targets
            // in, gives each the share computed here.
            App.Policy event =
                    pinned(own, naturalDecision.placed().shares(), assignedTotal, live.clusters());
            AppPlacer.Decision finalDecision =
                    place(
                            p,
                            withPolicy(app, p.replicas(), event),
                            tenant,
                            live,
                            ledger,
                            demand,
                            now);
            ledger.set(finalDecision.placed());
            int cloud = 0;
            int idc = 0;
            double cost = 0;
            Map<String, Integer> shares = new TreeMap<>(finalDecision.placed().shares());
            for (Map.Entry<String, Integer> e : shares.entrySet()) {
                Cluster c = live.clusters().get(e.getKey());
                if (c != null && isCloud(c)) {
                    cloud += e.getValue();
                    cost += e.getValue() * replicaCostPerHour(app, c);
                } else {
                    idc += e.getValue();
                }
            }
            StoredPlacement before = StoredPlacement.fromJson(p.stored().placementJson());
            if (before != null) {
                move(delta, before.shares(), app.spec(), -1);
            }
            move(delta, shares, app.spec(), 1);
            int unsched = finalDecision.placed().unschedulable();
            results.add(
                    new AppResult(
                            app.tenant(),
                            app.name(),
                            app.spec().replicas(),
                            p.replicas(),
                            shares,
                            idc,
                            cloud,
                            unsched,
                            finalDecision.placed().unschedulableReason(),
                            cost,
                            event));
            idcTotal += idc;
            cloudTotal += cloud;
            unschedTotal += unsched;
            costTotal += cost;
        }
        return new Result(
                results,
                idcTotal,
                cloudTotal,
                unschedTotal,
                costTotal,
                hits,
                notes,
                raised,
                levels(delta, live.clusters()));
    }

    /** Adds {@code sign} x the resources of {@code shares} replicas of {@code spec} per cluster. */
    private static void move(
            Map<String, long[]> delta, Map<String, Integer> shares, App.Spec spec, int sign) {
        for (Map.Entry<String, Integer> e : shares.entrySet()) {
            long[] d = delta.computeIfAbsent(e.getKey(), k -> new long[3]);
            d[0] += sign * (long) e.getValue() * spec.cpuMillis();
            d[1] += sign * (long) e.getValue() * spec.memoryMiB();
            d[2] += sign * (long) e.getValue();
        }
    }

    private static List<ClusterLevel> levels(
            Map<String, long[]> delta, Map<String, Cluster> clusters) {
        List<ClusterLevel> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : delta.entrySet()) {
            long[] d = e.getValue();
            Cluster c = clusters.get(e.getKey());
            if (c == null || (d[0] == 0 && d[1] == 0 && d[2] == 0)) {
                continue;
            }
            Quantities now = c.requested();
            out.add(
                    new ClusterLevel(
                            c.name(),
                            isCloud(c),
                            c.allocatable(),
                            now,
                            new Quantities(
                                    Math.max(0, now.cpuMillis() + d[0]),
                                    Math.max(0, now.memoryMiB() + d[1]),
                                    Math.max(0, now.pods() + d[2]))));
        }
        return out;
    }

    private AppPlacer.Decision place(
            Planned p,
            App app,
            Tenant tenant,
            Live live,
            PlacementLedger ledger,
            Map<String, TenantDemand> demand,
            long now) {
        return placer.place(
                p.stored().id(),
                app,
                p.stored().placementJson(),
                tenant,
                live.clusters(),
                ledger,
                demand.getOrDefault(app.tenant(), TenantDemand.none(app.tenant())),
                now);
    }

    /**
     * The policy an app runs with during the event: its own, cloud allowed up to {@code total},
     * each cloud cluster limited to what it was assigned (0 when nothing).
     */
    static App.Policy eventPolicy(
            App.Policy own, Map<String, Integer> assigned, int total, Map<String, Cluster> all) {
        if (total == 0) {
            return withBurst(own, false, null, null);
        }
        List<App.Limit> limits = new ArrayList<>();
        for (Cluster c : new TreeMap<>(all).values()) {
            if (isCloud(c)) {
                limits.add(
                        new App.Limit(
                                new ClusterSelector(List.of(c.name()), Map.of(), List.of()),
                                0,
                                assigned.getOrDefault(c.name(), 0)));
            }
        }
        return withBurst(own, true, total, limits);
    }

    /**
     * The event policy: the app's own, cloud allowed up to {@code cloudTotal} (not at all when 0),
     * every cluster holding a share limited to it, every other cloud cluster to 0. IDC clusters
     * without a share stay unlimited (they take failover).
     */
    static App.Policy pinned(
            App.Policy own, Map<String, Integer> shares, int cloudTotal, Map<String, Cluster> all) {
        List<App.Limit> limits = new ArrayList<>();
        for (Cluster c : new TreeMap<>(all).values()) {
            Integer n = shares.get(c.name());
            if (n != null || isCloud(c)) {
                limits.add(
                        new App.Limit(
                                new ClusterSelector(List.of(c.name()), Map.of(), List.of()),
                                0,
                                n == null ? 0 : n));
            }
        }
        return withBurst(own, cloudTotal > 0, cloudTotal > 0 ? cloudTotal : null, limits);
    }

    static App.Policy withBurst(
            App.Policy p, boolean allowCloud, Integer maxCloud, List<App.Limit> extraLimits) {
        List<App.Limit> limits = new ArrayList<>(p.clusterLimits());
        if (extraLimits != null) {
            limits.addAll(extraLimits);
        }
        return new App.Policy(
                p.clusterAffinity(),
                p.tolerations(),
                p.type(),
                p.division(),
                p.weights(),
                limits,
                p.spread(),
                new App.Burst(allowCloud, maxCloud),
                p.failback());
    }

    static App withPolicy(App a, int replicas, App.Policy policy) {
        App.Spec s = a.spec();
        return new App(
                a.tenant(),
                a.name(),
                a.generation(),
                s.withReplicas(replicas).withPlacement(policy),
                a.status(),
                a.resourceVersion(),
                a.createdAt(),
                a.updatedAt());
    }

    static Tenant withQuota(Tenant t, Tenant.Quota q) {
        return new Tenant(
                t.name(),
                t.displayName(),
                t.labels(),
                q,
                t.allowedClusters(),
                t.network(),
                t.resourceVersion(),
                t.createdAt(),
                t.updatedAt());
    }

    private static void hit(
            List<QuotaHit> hits,
            String tenant,
            String resource,
            Long quota,
            long needed,
            boolean raise) {
        if (quota != null && needed > quota) {
            hits.add(new QuotaHit(tenant, resource, quota, needed, raise));
        }
    }

    private static Long raise(Long quota, long needed) {
        return quota == null ? null : Math.max(quota, needed);
    }

    private static void note(List<String> notes, String n) {
        if (!notes.contains(n)) {
            notes.add(n);
        }
    }
}
