package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.controlplane.placement.PlacementService;
import dev.fedplane.controlplane.placement.SchedulerRequests;
import dev.fedplane.controlplane.placement.StoredPlacement;
import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.scheduler.ClusterDecision;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.Scheduler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One app's placement decision. Given the app (with its stored placement), its tenant, the clusters
 * as the pass read them and the {@link PlacementLedger} (what every other app holds), it runs the
 * scheduler and returns the new shares, the explanation {@code ExplainApp} shows and the app's
 * status. It writes nothing and changes nothing: the caller stores the decision and records it in
 * the ledger.
 *
 * <p>Rules: replicas on a {@code NOT_READY} cluster stay until it is {@code LOST}; a {@code
 * CORDONED} cluster keeps its replicas and takes no new ones (both "pinned", and trimmed when the
 * app scales below them); those of {@code LOST} and {@code DRAINING} clusters move (scheduler
 * stability). A policy change places afresh. With {@code failback} on, the app moves to its fresh
 * placement once every cluster of it has been READY for the failback window; until then the
 * decision says when to look again. The tenant's per-cluster caps become {@code maxReplicas}
 * limits; the tenant's quota is what its other apps leave.
 *
 * <p>Threading: used by the reconciler's worker thread only (it holds one {@code Scheduler}).
 */
public final class AppPlacer {
    /** Ready replicas of an app in a cluster, as its agent last reported them. */
    @FunctionalInterface
    public interface ReadyReplicas {
        int ready(String tenant, String app, String cluster);
    }

    /**
     * One app's decision: what the ledger records, the placement and status to store, whether they
     * differ from what is stored ({@code changed}; {@code placementChanged}: the placement itself,
     * not only the status), and in how many milliseconds a pending failback is due (0: none
     * pending).
     */
    public record Decision(
            PlacedApp placed,
            StoredPlacement placement,
            App.Status status,
            boolean changed,
            boolean placementChanged,
            long lookAgainInMillis) {}

    private final Scheduler scheduler = new Scheduler();
    private final Duration failbackWindow;
    private final ReadyReplicas ready;

    public AppPlacer(Duration failbackWindow, ReadyReplicas ready) {
        this.failbackWindow = failbackWindow;
        this.ready = ready;
    }

    /**
     * Places {@code app} (row {@code id}, stored placement {@code storedJson}, null before the
     * first). {@code clusters}: every cluster by name as of the pass; {@code tenantDemand}: what
     * all of the tenant's apps ask for by spec; {@code now}: the pass's time.
     */
    public Decision place(
            long id,
            App app,
            String storedJson,
            Tenant tenant,
            Map<String, Cluster> clusters,
            PlacementLedger ledger,
            TenantDemand tenantDemand,
            long now) {
        return placeAfter(
                id,
                app,
                PlacementDigest.of(StoredPlacement.fromJson(storedJson)),
                tenant,
                clusters,
                ledger,
                tenantDemand,
                now);
    }

    /**
     * As above, with the stored placement as the leader keeps it in memory ({@link
     * PlacementDigest}; null before the first placement): the stored JSON is not read again.
     */
    public Decision placeAfter(
            long id,
            App app,
            PlacementDigest prev,
            Tenant tenant,
            Map<String, Cluster> clusters,
            PlacementLedger ledger,
            TenantDemand tenantDemand,
            long now) {
        AppKey key = AppKey.of(app);
        PlacedApp mine = ledger.get(key);
        if (prev != null) {
            prev.throwIfUnreadable();
        }
        String policyHash = policyHash(app.spec().placement());
        boolean samePolicy = prev != null && prev.policyHash().equals(policyHash);
        Map<String, Integer> currentShares =
                mine != null ? mine.shares() : prev != null ? prev.shares() : Map.of();
        Quantities per = PlacedApp.perReplica(app);

        Map<String, Integer> pinned = new TreeMap<>();
        Map<String, Integer> current = null;
        if (samePolicy) {
            current = new TreeMap<>();
            for (Map.Entry<String, Integer> e : currentShares.entrySet()) {
                Cluster c = clusters.get(e.getKey());
                if (c == null || e.getValue() <= 0) {
                    continue;
                }
                if (c.state() == Cluster.State.NOT_READY || c.state() == Cluster.State.CORDONED) {
                    pinned.put(e.getKey(), e.getValue());
                } else {
                    current.put(e.getKey(), e.getValue());
                }
            }
            trim(pinned, app.spec().replicas());
        }
        int pinnedTotal = pinned.values().stream().mapToInt(Integer::intValue).sum();

        ClusterSnapshot snapshot = ledger.snapshotWithout(clusters.values(), mine);
        // What the tenant's other apps use: the larger of their specs (apps not placed yet count)
        // and
        // of what is placed (a DUPLICATED app counts every copy), per resource.
        Quantities bySpec =
                tenantDemand
                        .asQuantities()
                        .minusFloored(AppStore.demandOf(app.tenant(), app.spec()).asQuantities());
        Quantities byPlacement =
                ledger.placedOfTenant(app.tenant())
                        .minusFloored(mine == null ? Quantities.ZERO : mine.placedTotal());
        Quantities others = max(bySpec, byPlacement).plus(per.times(pinnedTotal));
        App rest =
                withClusterCaps(
                        withReplicas(app, app.spec().replicas() - pinnedTotal),
                        tenant,
                        mine,
                        per,
                        ledger);
        Placement p =
                scheduler.place(SchedulerRequests.request(rest, tenant, snapshot, others, current));
        long lookAgain = 0;
        if (app.spec().placement().failback() && current != null && !current.isEmpty()) {
            Placement fresh =
                    scheduler.place(
                            SchedulerRequests.request(rest, tenant, snapshot, others, null));
            if (!fresh.asMap().equals(p.asMap())) {
                long wait = stableIn(clusters, fresh, now);
                if (wait <= 0) {
                    p = fresh;
                } else {
                    lookAgain = wait + 100;
                }
            }
        }
        Map<String, Integer> shares = new TreeMap<>(p.asMap());
        pinned.forEach((c, n) -> shares.merge(c, n, Integer::sum));
        shares.values().removeIf(n -> n <= 0);

        Explanation explanation = explain(p, pinned, clusters, app.generation(), now);
        int unschedulable = p.unschedulable();
        String unschedulableReason = p.unschedulableReason() == null ? "" : p.unschedulableReason();
        if (unschedulable == 0 && app.spec().placement().type() == App.Type.DUPLICATED) {
            // Copies the tenant quota withheld from feasible clusters are replicas not placed.
            List<String> notes =
                    p.clusters().stream()
                            .filter(ClusterDecision::quotaWithheld)
                            .map(ClusterDecision::note)
                            .toList();
            if (!notes.isEmpty()) {
                unschedulable = notes.size() * rest.spec().replicas();
                unschedulableReason =
                        notes.size()
                                + " cop"
                                + (notes.size() == 1 ? "y" : "ies")
                                + " not placed: "
                                + notes.get(0);
            }
        }
        explanation =
                new Explanation(
                        explanation.placements(),
                        unschedulable,
                        unschedulableReason,
                        explanation.clusters(),
                        explanation.generation(),
                        explanation.computedAt());
        StoredPlacement next =
                new StoredPlacement(policyHash, app.generation(), shares, explanation);
        PlacedApp decided =
                new PlacedApp(id, app, shares, per, tenant, unschedulable, unschedulableReason);
        App.Status status = status(decided, app.status(), now);
        boolean same = prev != null && prev.sameDecision(next);
        boolean changed = !same || !status.equals(app.status());
        return new Decision(
                decided, same ? prev.withTimeOf(next) : next, status, changed, !same, lookAgain);
    }

    /**
     * The app's status for decision {@code p}: per cluster desired and ready replicas, conditions
     * {@code Scheduled} and {@code Available}, each keeping its transition time from {@code before}
     * while its status stays.
     */
    public App.Status status(PlacedApp p, App.Status before, long now) {
        List<App.ClusterReplicas> clusters = new ArrayList<>();
        int readyTotal = 0;
        int desired = 0;
        for (Map.Entry<String, Integer> e : new TreeMap<>(p.shares()).entrySet()) {
            int r =
                    Math.min(
                            e.getValue(),
                            ready.ready(p.app().tenant(), p.app().name(), e.getKey()));
            clusters.add(new App.ClusterReplicas(e.getKey(), e.getValue(), r));
            readyTotal += r;
            desired += e.getValue();
        }
        List<App.Condition> conditions = new ArrayList<>();
        if (p.unschedulable() == 0) {
            conditions.add(
                    condition(
                            before,
                            "Scheduled",
                            "True",
                            "Placed",
                            desired + " replica(s) placed in " + clusters.size() + " cluster(s)",
                            now));
        } else {
            conditions.add(
                    condition(
                            before,
                            "Scheduled",
                            "False",
                            "Unschedulable",
                            p.unschedulable()
                                    + " replica(s) could not be placed: "
                                    + p.unschedulableReason(),
                            now));
        }
        int wanted = p.app().spec().replicas();
        if (readyTotal >= wanted) {
            conditions.add(
                    condition(
                            before,
                            "Available",
                            "True",
                            "AllReady",
                            readyTotal + " of " + wanted + " ready",
                            now));
        } else {
            conditions.add(
                    condition(
                            before,
                            "Available",
                            "False",
                            "Progressing",
                            readyTotal + " of " + wanted + " ready",
                            now));
        }
        return new App.Status(
                p.app().generation(),
                clusters,
                conditions,
                p.unschedulable(),
                p.unschedulableReason());
    }

    /** The hash under which a placement was computed: a different policy places afresh. */
    public static String policyHash(App.Policy policy) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest(Json.write(policy).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Milliseconds until every cluster of {@code p} has been READY for the failback window; 0 or
     * less: now.
     */
    private long stableIn(Map<String, Cluster> clusters, Placement p, long now) {
        long wait = 0;
        for (String c : p.asMap().keySet()) {
            Cluster cluster = clusters.get(c);
            long since =
                    cluster == null
                            ? now
                            : cluster.readySince() == 0
                                    ? cluster.createdAt()
                                    : cluster.readySince();
            wait = Math.max(wait, since + failbackWindow.toMillis() - now);
        }
        return wait;
    }

    private static Explanation explain(
            Placement p,
            Map<String, Integer> pinned,
            Map<String, Cluster> clusters,
            long generation,
            long now) {
        Explanation e = PlacementService.toExplanation(p, generation, now);
        if (pinned.isEmpty()) {
            return e;
        }
        Map<String, Integer> merged = new TreeMap<>();
        e.placements().forEach(s -> merged.put(s.cluster(), s.replicas()));
        pinned.forEach((c, n) -> merged.merge(c, n, Integer::sum));
        List<Explanation.Decision> decisions =
                e.clusters().stream()
                        .map(
                                d -> {
                                    Integer n = pinned.get(d.cluster());
                                    if (n == null) {
                                        return d;
                                    }
                                    String why =
                                            clusters.get(d.cluster()).state()
                                                            == Cluster.State.CORDONED
                                                    ? "cordoned: keeps its "
                                                            + n
                                                            + " replica(s), takes no new ones"
                                                    : "not ready: keeps its "
                                                            + n
                                                            + " replica(s) until it is lost";
                                    return new Explanation.Decision(
                                            d.cluster(),
                                            false,
                                            why,
                                            d.weight(),
                                            d.fit(),
                                            d.score(),
                                            d.replicas() + n,
                                            d.note());
                                })
                        .toList();
        return new Explanation(
                merged.entrySet().stream()
                        .map(x -> new Explanation.Share(x.getKey(), x.getValue()))
                        .toList(),
                e.unschedulable(),
                e.unschedulableReason(),
                decisions,
                e.generation(),
                e.computedAt());
    }

    /** A condition that keeps its previous transition time while its status stays. */
    private static App.Condition condition(
            App.Status before,
            String type,
            String status,
            String reason,
            String message,
            long now) {
        for (App.Condition c : before.conditions()) {
            if (c.type().equals(type) && c.status().equals(status)) {
                return new App.Condition(type, status, reason, message, c.lastTransition());
            }
        }
        return new App.Condition(type, status, reason, message, now);
    }

    /**
     * Trims pinned shares to at most {@code max} replicas, from the largest (ties: later name
     * first).
     */
    static void trim(Map<String, Integer> pinned, int max) {
        int total = pinned.values().stream().mapToInt(Integer::intValue).sum();
        while (total > max) {
            String largest = null;
            for (Map.Entry<String, Integer> e : pinned.entrySet()) {
                if (largest == null || e.getValue() >= pinned.get(largest)) {
                    largest = e.getKey();
                }
            }
            int n = pinned.get(largest) - 1;
            if (n == 0) {
                pinned.remove(largest);
            } else {
                pinned.put(largest, n);
            }
            total--;
        }
    }

    /**
     * The app with a {@code maxReplicas} limit on every cluster where its tenant has a per-cluster
     * cap: what the cap leaves after the tenant's other replicas there.
     */
    private static App withClusterCaps(
            App a, Tenant t, PlacedApp mine, Quantities per, PlacementLedger ledger) {
        if (t.quota().perCluster().isEmpty()) {
            return a;
        }
        List<App.Limit> limits = new ArrayList<>(a.spec().placement().clusterLimits());
        for (Tenant.ClusterQuota cap : t.quota().perCluster()) {
            Quantities used = ledger.placedOfTenantOn(t.name(), cap.cluster());
            int own = mine == null ? 0 : mine.shares().getOrDefault(cap.cluster(), 0);
            used = used.minusFloored(per.times(own));
            long allowed = Integer.MAX_VALUE;
            allowed = Math.min(allowed, room(cap.replicas(), used.pods(), 1));
            allowed = Math.min(allowed, room(cap.cpuMillis(), used.cpuMillis(), per.cpuMillis()));
            allowed = Math.min(allowed, room(cap.memoryMiB(), used.memoryMiB(), per.memoryMiB()));
            limits.add(
                    new App.Limit(
                            new ClusterSelector(List.of(cap.cluster()), Map.of(), List.of()),
                            0,
                            (int) allowed));
        }
        App.Policy p = a.spec().placement();
        App.Policy capped =
                new App.Policy(
                        p.clusterAffinity(),
                        p.tolerations(),
                        p.type(),
                        p.division(),
                        p.weights(),
                        limits,
                        p.spread(),
                        p.burst(),
                        p.failback());
        App.Spec s = a.spec();
        return new App(
                a.tenant(),
                a.name(),
                a.generation(),
                s.withPlacement(capped),
                a.status(),
                a.resourceVersion(),
                a.createdAt(),
                a.updatedAt());
    }

    /**
     * Replicas of {@code per} each that fit under {@code cap} after {@code used}; no cap or no
     * demand: unlimited.
     */
    private static long room(Long cap, long used, long per) {
        if (cap == null || per <= 0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(0, (cap - used) / per);
    }

    private static App withReplicas(App a, int replicas) {
        return new App(
                a.tenant(),
                a.name(),
                a.generation(),
                a.spec().withReplicas(replicas),
                a.status(),
                a.resourceVersion(),
                a.createdAt(),
                a.updatedAt());
    }

    private static Quantities max(Quantities a, Quantities b) {
        return new Quantities(
                Math.max(a.cpuMillis(), b.cpuMillis()),
                Math.max(a.memoryMiB(), b.memoryMiB()),
                Math.max(a.pods(), b.pods()));
    }
}
