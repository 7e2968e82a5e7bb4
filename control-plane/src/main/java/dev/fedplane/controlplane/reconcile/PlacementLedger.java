package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.placement.SchedulerRequests;
import dev.fedplane.scheduler.ClusterInfo;
import dev.fedplane.scheduler.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What every app holds where, as the reconciler decided it: per app its {@link PlacedApp}, and
 * derived from those, per cluster what Fedplane's replicas request there and its workloads, per
 * tenant what its replicas request in all and per cluster. Every derived figure always equals the
 * sum over the placed apps. Pure: no I/O, no clock. Not thread-safe (the reconciler's worker thread
 * owns it).
 */
public final class PlacementLedger {
    private final Map<AppKey, PlacedApp> placed = new HashMap<>();
    private final Map<String, Quantities> byCluster = new HashMap<>();
    private final Map<String, Quantities> byTenant = new HashMap<>();
    private final Map<String, Map<String, Quantities>> byTenantCluster = new HashMap<>();
    private final Map<String, Map<AppKey, DesiredState.Workload>> workloads = new HashMap<>();
    private final Map<String, CachedInfo> infos = new HashMap<>();

    // The shared snapshot (see snapshotWithout): every cluster of baseOf (compared by identity, in
    // the caller's order) with every placed app's requests, as of the clusters in stale, whose
    // placed requests changed since, being brought up to date.
    private Cluster[] baseOf;
    private final Map<String, Cluster> baseByName = new HashMap<>();
    private ClusterSnapshot base;
    private final Set<String> stale = new HashSet<>();

    /** Forgets everything. */
    public void clear() {
        placed.clear();
        byCluster.clear();
        byTenant.clear();
        byTenantCluster.clear();
        workloads.clear();
        infos.clear();
        base = null;
        baseOf = null;
        baseByName.clear();
        stale.clear();
    }

    /** Starts again from {@code apps} (after an election: the stored placements). */
    public void rebuild(Iterable<PlacedApp> apps) {
        clear();
        for (PlacedApp p : apps) {
            set(p);
        }
    }

    public PlacedApp get(AppKey key) {
        return placed.get(key);
    }

    /** The apps placed now (a copy, in no particular order). */
    public List<AppKey> keys() {
        return new ArrayList<>(placed.keySet());
    }

    /**
     * Records {@code now} as its app's decision, replacing the previous one.
     *
     * @return the clusters whose workloads changed (sorted)
     */
    public Set<String> set(PlacedApp now) {
        AppKey key = now.key();
        PlacedApp old = placed.put(key, now);
        Set<String> touched = new TreeSet<>(now.shares().keySet());
        if (old != null) {
            touched.addAll(old.shares().keySet());
            subtract(old);
        }
        add(now);
        Set<String> changed = new TreeSet<>();
        for (String c : touched) {
            Map<AppKey, DesiredState.Workload> w =
                    workloads.computeIfAbsent(c, k -> new HashMap<>());
            int n = now.shares().getOrDefault(c, 0);
            DesiredState.Workload before = w.get(key);
            DesiredState.Workload after = n > 0 ? now.workload(c, n) : null;
            if (!Objects.equals(before, after)) {
                if (after == null) {
                    w.remove(key);
                } else {
                    w.put(key, after);
                }
                changed.add(c);
            }
        }
        return changed;
    }

    /**
     * Forgets an app (deleted, or its tenant gone).
     *
     * @return the clusters whose workloads changed (sorted; empty when the app was not placed)
     */
    public Set<String> remove(AppKey key) {
        PlacedApp old = placed.remove(key);
        Set<String> changed = new TreeSet<>();
        if (old == null) {
            return changed;
        }
        subtract(old);
        for (String c : old.shares().keySet()) {
            Map<AppKey, DesiredState.Workload> w = workloads.get(c);
            if (w != null && w.remove(key) != null) {
                changed.add(c);
            }
        }
        return changed;
    }

    /** What Fedplane's replicas on {@code cluster} request. */
    public Quantities placedOn(String cluster) {
        return byCluster.getOrDefault(cluster, Quantities.ZERO);
    }

    /** What all of {@code tenant}'s placed replicas request. */
    public Quantities placedOfTenant(String tenant) {
        return byTenant.getOrDefault(tenant, Quantities.ZERO);
    }

    /** What {@code tenant}'s placed replicas on {@code cluster} request. */
    public Quantities placedOfTenantOn(String tenant, String cluster) {
        return byTenantCluster
                .getOrDefault(tenant, Map.of())
                .getOrDefault(cluster, Quantities.ZERO);
    }

    /** The workloads on {@code cluster}, by {@code tenant/app} (sorted). */
    public TreeMap<String, DesiredState.Workload> workloadsOn(String cluster) {
        TreeMap<String, DesiredState.Workload> sorted = new TreeMap<>();
        workloads.getOrDefault(cluster, Map.of()).forEach((k, w) -> sorted.put(k.toString(), w));
        return sorted;
    }

    /** True when no placed app has a replica on {@code cluster}. */
    public boolean isEmpty(String cluster) {
        return workloads.getOrDefault(cluster, Map.of()).isEmpty();
    }

    /**
     * The scheduler's view of {@code clusters}: each cluster's requests are its agent-reported
     * unmanaged requests plus what this ledger places there, minus what {@code without} (an app's
     * current decision, or null) holds there.
     *
     * <p>One snapshot of every cluster with every placed app is kept and shared: built when the
     * clusters change (another collection, or any cluster replaced), brought up to date by {@link
     * ClusterSnapshot#withCapacity} for the clusters whose placed requests moved since, and the
     * app's own replicas are taken off a copy the same way. So the apps of one pass cost
     * O(clusters) array copies each instead of a snapshot built again from every cluster.
     */
    public ClusterSnapshot snapshotWithout(Collection<Cluster> clusters, PlacedApp without) {
        ClusterSnapshot all = shared(clusters);
        if (without == null || without.shares().isEmpty()) {
            return all;
        }
        List<ClusterInfo> mine = new ArrayList<>(without.shares().size());
        for (Map.Entry<String, Integer> e : without.shares().entrySet()) {
            Cluster c = baseByName.get(e.getKey());
            if (c == null || e.getValue() <= 0) {
                continue;
            }
            Quantities requested =
                    c.unmanagedRequested()
                            .plus(placedOn(c.name()))
                            .minusFloored(without.perReplica().times(e.getValue()));
            mine.add(SchedulerRequests.toScheduler(c, requested));
        }
        return all.withCapacity(mine);
    }

    private ClusterSnapshot shared(Collection<Cluster> clusters) {
        if (base == null || !sameClusters(clusters)) {
            baseOf = clusters.toArray(new Cluster[0]);
            baseByName.clear();
            List<ClusterInfo> all = new ArrayList<>(baseOf.length);
            for (Cluster c : baseOf) {
                baseByName.put(c.name(), c);
                all.add(info(c, c.unmanagedRequested().plus(placedOn(c.name()))));
            }
            base = ClusterSnapshot.of(all);
            stale.clear();
        } else if (!stale.isEmpty()) {
            List<ClusterInfo> changed = new ArrayList<>(stale.size());
            for (String name : stale) {
                Cluster c = baseByName.get(name);
                if (c != null) {
                    changed.add(info(c, c.unmanagedRequested().plus(placedOn(name))));
                }
            }
            base = base.withCapacity(changed);
            stale.clear();
        }
        return base;
    }

    private boolean sameClusters(Collection<Cluster> clusters) {
        if (clusters.size() != baseOf.length) {
            return false;
        }
        int i = 0;
        for (Cluster c : clusters) {
            if (c != baseOf[i++]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The scheduler's view of one cluster, kept per cluster and made again only when the cluster
     * (as the pass read it) or what is requested there changed: of the 1,000 clusters each app's
     * placement looks at, all but the few its own and the previous apps' replicas touch are reused.
     */
    private ClusterInfo info(Cluster c, Quantities requested) {
        CachedInfo cached = infos.get(c.name());
        if (cached != null && cached.cluster() == c && cached.requested().equals(requested)) {
            return cached.info();
        }
        ClusterInfo info = SchedulerRequests.toScheduler(c, requested);
        infos.put(c.name(), new CachedInfo(c, requested, info));
        return info;
    }

    private record CachedInfo(Cluster cluster, Quantities requested, ClusterInfo info) {}

    private void add(PlacedApp p) {
        String tenant = p.app().tenant();
        byTenant.merge(tenant, p.placedTotal(), Quantities::plus);
        Map<String, Quantities> mine =
                byTenantCluster.computeIfAbsent(tenant, t -> new HashMap<>());
        for (Map.Entry<String, Integer> e : p.shares().entrySet()) {
            Quantities q = p.perReplica().times(e.getValue());
            byCluster.merge(e.getKey(), q, Quantities::plus);
            mine.merge(e.getKey(), q, Quantities::plus);
            stale.add(e.getKey());
        }
    }

    private void subtract(PlacedApp p) {
        String tenant = p.app().tenant();
        byTenant.merge(tenant, p.placedTotal(), PlacementLedger::minus);
        Map<String, Quantities> mine =
                byTenantCluster.computeIfAbsent(tenant, t -> new HashMap<>());
        for (Map.Entry<String, Integer> e : p.shares().entrySet()) {
            Quantities q = p.perReplica().times(e.getValue());
            byCluster.merge(e.getKey(), q, PlacementLedger::minus);
            mine.merge(e.getKey(), q, PlacementLedger::minus);
            stale.add(e.getKey());
        }
    }

    private static Quantities minus(Quantities a, Quantities b) {
        return new Quantities(
                a.cpuMillis() - b.cpuMillis(), a.memoryMiB() - b.memoryMiB(), a.pods() - b.pods());
    }
}
