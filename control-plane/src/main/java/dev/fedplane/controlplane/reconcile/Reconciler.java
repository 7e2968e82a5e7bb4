package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.agent.AgentSessions;
import dev.fedplane.controlplane.agent.WorkloadReports;
import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.app.TenantUsageRow;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.placement.DesiredStates;
import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.controlplane.placement.PlacementService;
import dev.fedplane.controlplane.placement.SchedulerRequests;
import dev.fedplane.controlplane.placement.StoredPlacement;
import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.scheduler.ClusterInfo;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.Scheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The leader's reconciler. A deduplicating queue of apps (fed by committed API writes, cluster
 * changes, agents' status reports and a periodic resync) is worked off by one thread in passes.
 * For each app it runs the scheduler, stores the placement with its explanation and the app's
 * status, and re-derives the desired state of every cluster whose workloads changed, which the
 * agent sessions then send.
 *
 * <p>Capacity: the scheduler sees each cluster's unmanaged requests (from its agent) plus the
 * requests of every replica Fedplane placed there (a ledger kept from the placements), minus the
 * app's own. A decision updates the ledger at once, so the next app of the same pass sees what the
 * previous one took and a failover storm spreads instead of piling onto one cluster.
 *
 * <p>Replicas on a {@code NOT_READY} cluster stay until it is {@code LOST}; a {@code CORDONED}
 * cluster keeps its replicas and takes no new ones; those of {@code LOST} and {@code DRAINING}
 * clusters move (scheduler stability). A draining cluster with nothing left becomes cordoned.
 *
 * <p>All state here is touched by the worker thread only; the queue is guarded by {@code lock}.
 */
@Context
public class Reconciler implements Leadership.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final int BATCH = 500;
    private static final int WRITE_BATCH = 200;

    private final ReconcileStore store;
    private final AgentSessions sessions;
    private final WorkloadReports reports;
    private final Clock clock;
    private final Duration resyncInterval;
    private final Duration failbackWindow;
    private final long quotaHeadroomPercent;
    private final Scheduler scheduler = new Scheduler();
    private final Timer passTimer;
    private final Timer placeTimer;

    private final Object lock = new Object();
    private final Set<AppKey> pendingApps = new LinkedHashSet<>();
    private final Set<AppKey> pendingStatus = new LinkedHashSet<>();
    private boolean pendingAll;
    private boolean passQueued;
    private volatile long epoch;
    private ScheduledExecutorService worker;

    // Worker-thread state.
    private final Map<AppKey, Placed> placed = new HashMap<>();
    private final Map<String, Quantities> ledger = new HashMap<>();
    /** Per tenant: what all its placed replicas request. */
    private final Map<String, Quantities> tenantPlaced = new HashMap<>();
    /** Per tenant and cluster: what its placed replicas there request (for per-cluster caps and namespace quotas). */
    private final Map<String, Map<String, Quantities>> tenantClusterPlaced = new HashMap<>();
    private final Map<String, Map<String, DesiredState.Workload>> byCluster = new HashMap<>();
    private boolean rebuilt;

    public Reconciler(ReconcileStore store, AgentSessions sessions, WorkloadReports reports, Clock clock,
                      Leadership leadership, MeterRegistry meters,
                      @Value("${fedplane.reconciler.resync-interval:30s}") Duration resyncInterval,
                      @Value("${fedplane.reconciler.failback-window:60s}") Duration failbackWindow,
                      @Value("${fedplane.tenancy.quota-headroom-percent:25}") long quotaHeadroomPercent) {
        this.quotaHeadroomPercent = quotaHeadroomPercent;
        this.store = store;
        this.sessions = sessions;
        this.reports = reports;
        this.clock = clock;
        this.resyncInterval = resyncInterval;
        this.failbackWindow = failbackWindow;
        this.passTimer = Timer.builder("fedplane_reconcile_pass_seconds").description("One reconciler pass")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.placeTimer = Timer.builder("fedplane_reconcile_app_seconds").description("Reconciling one app")
                .register(meters);
        reports.onChange(this::statusChanged);
        leadership.addListener(this);
    }

    /** An app, by tenant and name. */
    public record AppKey(String tenant, String name) {
        @Override
        public String toString() {
            return tenant + "/" + name;
        }
    }

    /** What the reconciler last decided for one app. */
    private record Placed(long id, App app, Map<String, Integer> shares, Quantities perReplica,
                          Tenant tenant, int unschedulable, String unschedulableReason) {
        /** What the app's placed replicas request in all (a DUPLICATED app's copies all count). */
        Quantities placedTotal() {
            int n = shares.values().stream().mapToInt(Integer::intValue).sum();
            return perReplica.times(n);
        }

        DesiredState.Workload workload(int replicas) {
            App.Spec s = app.spec();
            return new DesiredState.Workload(app.tenant(), app.name(), app.generation(), s.image(), replicas,
                    s.cpuMillis(), s.memoryMiB(), s.ports(), s.env());
        }
    }

    // ---------------------------------------------------------------- leadership

    @Override
    public synchronized void onElected(long newEpoch) {
        stopWorker();
        epoch = newEpoch;
        worker = DaemonThreads.single("fedplane-reconciler");
        worker.execute(this::resetState);
        long every = Math.max(1, resyncInterval.toMillis());
        worker.scheduleWithFixedDelay(this::enqueueAll, every, every, TimeUnit.MILLISECONDS);
        enqueueAll();
        LOG.info("reconciler started with epoch {}", newEpoch);
    }

    @Override
    public synchronized void onRevoked() {
        epoch = 0;
        stopWorker();
        LOG.info("reconciler stopped: leadership lost");
    }

    @PreDestroy
    synchronized void close() {
        epoch = 0;
        stopWorker();
    }

    private void stopWorker() {
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        synchronized (lock) {
            pendingApps.clear();
            pendingStatus.clear();
            pendingAll = false;
            passQueued = false;
        }
    }

    private void resetState() {
        placed.clear();
        ledger.clear();
        tenantPlaced.clear();
        tenantClusterPlaced.clear();
        byCluster.clear();
        rebuilt = false;
    }

    // ---------------------------------------------------------------- the queue

    /** Committed API writes: an app is reconciled; a tenant or cluster change reconciles every app. */
    @TransactionalEventListener
    public void onChanged(Changed c) {
        if (c.kind() == Changed.Kind.APP) {
            enqueue(new AppKey(c.tenant(), c.name()));
        } else {
            enqueueAll();
        }
    }

    public void enqueue(AppKey key) {
        synchronized (lock) {
            pendingApps.add(key);
        }
        kick(0);
    }

    /** Reconciles every app in the next pass (cluster changes, resync). */
    public void enqueueAll() {
        synchronized (lock) {
            pendingAll = true;
        }
        kick(0);
    }

    /** An app's reported ready replicas changed: rewrite its status. */
    public void statusChanged(String tenant, String app) {
        synchronized (lock) {
            pendingStatus.add(new AppKey(tenant, app));
        }
        kick(200);
    }

    /** Reconciles every app once {@code delay} has passed (failback windows, retries). */
    public void enqueueAllAfter(Duration delay) {
        ScheduledExecutorService w = worker;
        if (w != null && epoch != 0) {
            try {
                w.schedule(this::enqueueAll, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // stopping
            }
        }
    }

    private void kick(long delayMillis) {
        ScheduledExecutorService w;
        synchronized (lock) {
            if (passQueued || epoch == 0 || worker == null) {
                return;
            }
            passQueued = true;
            w = worker;
        }
        try {
            w.schedule(this::runPass, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (lock) {
                passQueued = false;
            }
        }
    }

    // ---------------------------------------------------------------- a pass

    private void runPass() {
        Set<AppKey> apps;
        Set<AppKey> statuses;
        boolean all;
        synchronized (lock) {
            apps = new LinkedHashSet<>(pendingApps);
            statuses = new LinkedHashSet<>(pendingStatus);
            all = pendingAll;
            pendingApps.clear();
            pendingStatus.clear();
            pendingAll = false;
            passQueued = false;
        }
        long ep = epoch;
        if (ep == 0 || (apps.isEmpty() && statuses.isEmpty() && !all)) {
            return;
        }
        Timer.Sample sample = Timer.start();
        try {
            Pass pass = new Pass(ep, store.clusters());
            if (!rebuilt) {
                rebuild(pass);
                all = true;
            }
            if (all) {
                reconcileAll(pass);
            } else {
                for (AppKey k : apps) {
                    reconcile(pass, k, store.app(k.tenant(), k.name()));
                }
            }
            for (AppKey k : statuses) {
                if (!all && !apps.contains(k)) {
                    refreshStatus(pass, k);
                }
            }
            flushDesired(pass);
            finishDrains(pass);
        } catch (RuntimeException e) {
            if (epoch == ep) {
                LOG.warn("reconcile pass failed; retrying in 1 s: {}", e.toString(), e);
                synchronized (lock) {
                    pendingApps.addAll(apps);
                    pendingStatus.addAll(statuses);
                    pendingAll |= all;
                }
                kick(1000);
            }
        } finally {
            sample.stop(passTimer);
        }
    }

    /** What one pass reads once: clusters, tenants and usage as of its start. */
    private final class Pass {
        final long epoch;
        final Map<String, Cluster> clusters = new TreeMap<>();
        final Map<String, Optional<Tenant>> tenants = new HashMap<>();
        final Map<String, TenantUsageRow> usage = new HashMap<>();
        final List<ReconcileStore.AppWrite> writes = new ArrayList<>();
        final Set<String> dirty = new TreeSet<>();
        final long now = clock.millis();

        Pass(long epoch, List<Cluster> all) {
            this.epoch = epoch;
            for (Cluster c : all) {
                clusters.put(c.name(), c);
            }
        }

        Optional<Tenant> tenant(String name) {
            return tenants.computeIfAbsent(name, store::tenant);
        }

        /** Queues an app write; they are written in batches of one transaction each. */
        void write(ReconcileStore.AppWrite w) {
            writes.add(w);
            if (writes.size() >= WRITE_BATCH) {
                flushWrites();
            }
        }

        void flushWrites() {
            if (!writes.isEmpty()) {
                store.writeApps(epoch, writes);
                writes.clear();
            }
        }

        /** The tenant's summed app demand, read once per pass (a later write queues its app again). */
        TenantUsageRow usage(String tenant) {
            return usage.computeIfAbsent(tenant, store::usage);
        }
    }

    /** After an election: the ledger from the stored placements, before any app is placed. */
    private void rebuild(Pass pass) {
        resetState();
        long after = 0;
        List<AppStore.Stored> batch;
        do {
            batch = store.appsAfter(after, BATCH);
            for (AppStore.Stored s : batch) {
                after = s.id();
                StoredPlacement sp = StoredPlacement.fromJson(s.placementJson());
                Optional<Tenant> t = pass.tenant(s.app().tenant());
                if (sp != null && t.isPresent()) {
                    setPlaced(pass, key(s.app()), new Placed(s.id(), s.app(), sp.shares(), perReplica(s.app()),
                            t.get(), sp.explanation() == null ? 0 : sp.explanation().unschedulable(),
                            sp.explanation() == null ? "" : sp.explanation().unschedulableReason()));
                }
            }
        } while (batch.size() == BATCH);
        rebuilt = true;
    }

    private void reconcileAll(Pass pass) {
        Set<AppKey> seen = new HashSet<>();
        long after = 0;
        List<AppStore.Stored> batch;
        do {
            batch = store.appsAfter(after, BATCH);
            for (AppStore.Stored s : batch) {
                after = s.id();
                AppKey k = key(s.app());
                seen.add(k);
                reconcile(pass, k, Optional.of(s));
            }
        } while (batch.size() == BATCH);
        for (AppKey k : new ArrayList<>(placed.keySet())) {
            if (!seen.contains(k)) {
                remove(pass, k);
            }
        }
        pass.dirty.addAll(pass.clusters.keySet());
    }

    private void reconcile(Pass pass, AppKey key, Optional<AppStore.Stored> found) {
        if (found.isEmpty()) {
            remove(pass, key);
            return;
        }
        AppStore.Stored stored = found.get();
        App app = stored.app();
        Optional<Tenant> tenant = pass.tenant(app.tenant());
        if (tenant.isEmpty()) {
            remove(pass, key);
            return;
        }
        Timer.Sample sample = Timer.start();
        Placed mine = placed.get(key);
        StoredPlacement prev = StoredPlacement.fromJson(stored.placementJson());
        String policyHash = policyHash(app.spec().placement());
        boolean samePolicy = prev != null && prev.policyHash().equals(policyHash);
        Map<String, Integer> currentShares = mine != null ? mine.shares() : prev != null ? prev.shares() : Map.of();
        Quantities per = perReplica(app);

        // Replicas on NOT_READY and CORDONED clusters stay where they are (see the class comment).
        Map<String, Integer> pinned = new TreeMap<>();
        Map<String, Integer> current = null;
        if (samePolicy) {
            current = new TreeMap<>();
            for (Map.Entry<String, Integer> e : currentShares.entrySet()) {
                Cluster c = pass.clusters.get(e.getKey());
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

        ClusterSnapshot snapshot = snapshotWithout(pass, mine);
        // What the tenant's other apps use: the larger of their specs (apps not placed yet count) and
        // of what is placed (a DUPLICATED app counts every copy), per resource.
        TenantUsageRow all = pass.usage(app.tenant());
        TenantUsageRow own = AppStore.demandOf(app.tenant(), app.spec());
        Quantities bySpec = new Quantities(all.cpuMillis(), all.memoryMib(), all.replicas())
                .minusFloored(new Quantities(own.cpuMillis(), own.memoryMib(), own.replicas()));
        Quantities byPlacement = tenantPlaced.getOrDefault(app.tenant(), Quantities.ZERO)
                .minusFloored(mine == null ? Quantities.ZERO : mine.placedTotal());
        Quantities others = max(bySpec, byPlacement).plus(per.times(pinnedTotal));
        App rest = withClusterCaps(withReplicas(app, app.spec().replicas() - pinnedTotal), tenant.get(), mine, per);
        Placement p = scheduler.place(SchedulerRequests.request(rest, tenant.get(), snapshot, others, current));
        if (app.spec().placement().failback() && current != null && !current.isEmpty()) {
            Placement fresh = scheduler.place(SchedulerRequests.request(rest, tenant.get(), snapshot, others, null));
            if (!fresh.asMap().equals(p.asMap())) {
                long wait = stableIn(pass, fresh);
                if (wait <= 0) {
                    p = fresh;
                } else {
                    enqueueAllAfter(Duration.ofMillis(wait + 100));
                }
            }
        }
        Map<String, Integer> shares = new TreeMap<>(p.asMap());
        pinned.forEach((c, n) -> shares.merge(c, n, Integer::sum));
        shares.values().removeIf(n -> n <= 0);

        Explanation explanation = explain(p, pinned, pass, app.generation());
        StoredPlacement next;
        int unschedulable = p.unschedulable();
        String unschedulableReason = p.unschedulableReason() == null ? "" : p.unschedulableReason();
        if (unschedulable == 0 && app.spec().placement().type() == App.Type.DUPLICATED) {
            // Copies the tenant quota withheld from feasible clusters are replicas not placed.
            List<String> notes = p.clusters().stream().filter(dev.fedplane.scheduler.ClusterDecision::quotaWithheld)
                    .map(dev.fedplane.scheduler.ClusterDecision::note).toList();
            if (!notes.isEmpty()) {
                unschedulable = notes.size() * rest.spec().replicas();
                unschedulableReason = notes.size() + " cop" + (notes.size() == 1 ? "y" : "ies") + " not placed: "
                        + notes.get(0);
            }
        }
        explanation = new Explanation(explanation.placements(), unschedulable, unschedulableReason,
                explanation.clusters(), explanation.generation(), explanation.computedAt());
        next = new StoredPlacement(policyHash, app.generation(), shares, explanation);
        Placed now = new Placed(stored.id(), app, shares, per, tenant.get(), unschedulable, unschedulableReason);
        App.Status status = status(now, app.status(), pass.now);
        if (prev == null || !sameDecision(prev, next) || !status.equals(app.status())) {
            StoredPlacement toStore = prev != null && sameDecision(prev, next) ? prev : next;
            pass.write(new ReconcileStore.AppWrite(stored.id(), Json.write(toStore), status));
        }
        setPlaced(pass, key, now);
        sample.stop(placeTimer);
    }

    private void refreshStatus(Pass pass, AppKey key) {
        Placed mine = placed.get(key);
        if (mine == null) {
            return;
        }
        Optional<AppStore.Stored> stored = store.app(key.tenant(), key.name());
        if (stored.isEmpty() || stored.get().app().generation() != mine.app().generation()) {
            enqueue(key);
            return;
        }
        App.Status status = status(mine, stored.get().app().status(), pass.now);
        if (!status.equals(stored.get().app().status())) {
            pass.write(new ReconcileStore.AppWrite(mine.id(), null, status));
        }
    }

    private void remove(Pass pass, AppKey key) {
        Placed old = placed.remove(key);
        if (old == null) {
            return;
        }
        tenantPlaced.merge(key.tenant(), old.placedTotal(), Reconciler::minus);
        for (Map.Entry<String, Integer> e : old.shares().entrySet()) {
            ledger.merge(e.getKey(), old.perReplica().times(e.getValue()), Reconciler::minus);
            tenantClusterPlaced.computeIfAbsent(key.tenant(), t -> new HashMap<>())
                    .merge(e.getKey(), old.perReplica().times(e.getValue()), Reconciler::minus);
            Map<String, DesiredState.Workload> w = byCluster.get(e.getKey());
            if (w != null && w.remove(key.toString()) != null) {
                pass.dirty.add(e.getKey());
            }
        }
        reports.forget(key.tenant(), key.name());
    }

    private void setPlaced(Pass pass, AppKey key, Placed now) {
        Placed old = placed.put(key, now);
        if (old != null) {
            tenantPlaced.merge(key.tenant(), old.placedTotal(), Reconciler::minus);
        }
        tenantPlaced.merge(key.tenant(), now.placedTotal(), Quantities::plus);
        Set<String> touched = new TreeSet<>(now.shares().keySet());
        if (old != null) {
            touched.addAll(old.shares().keySet());
            for (Map.Entry<String, Integer> e : old.shares().entrySet()) {
                ledger.merge(e.getKey(), old.perReplica().times(e.getValue()), Reconciler::minus);
            }
        }
        Map<String, Quantities> mineByCluster = tenantClusterPlaced.computeIfAbsent(key.tenant(), t -> new HashMap<>());
        if (old != null) {
            for (Map.Entry<String, Integer> e : old.shares().entrySet()) {
                mineByCluster.merge(e.getKey(), old.perReplica().times(e.getValue()), Reconciler::minus);
            }
        }
        for (Map.Entry<String, Integer> e : now.shares().entrySet()) {
            ledger.merge(e.getKey(), now.perReplica().times(e.getValue()), Quantities::plus);
            mineByCluster.merge(e.getKey(), now.perReplica().times(e.getValue()), Quantities::plus);
        }
        for (String c : touched) {
            Map<String, DesiredState.Workload> w = byCluster.computeIfAbsent(c, k -> new HashMap<>());
            int n = now.shares().getOrDefault(c, 0);
            DesiredState.Workload before = w.get(key.toString());
            DesiredState.Workload after = n > 0 ? now.workload(n) : null;
            if (!Objects.equals(before, after)) {
                if (after == null) {
                    w.remove(key.toString());
                } else {
                    w.put(key.toString(), after);
                }
                pass.dirty.add(c);
            }
        }
    }

    /** The pass's remaining app writes and every changed cluster's desired state, in one transaction; then the agents are told. */
    private void flushDesired(Pass pass) {
        Map<String, DesiredState> states = new TreeMap<>();
        for (String cluster : pass.dirty) {
            if (pass.clusters.containsKey(cluster)) {
                states.put(cluster, desiredOf(pass, cluster));
            }
        }
        Map<String, Long> generations = store.writeApps(pass.epoch, pass.writes, states);
        pass.writes.clear();
        for (Map.Entry<String, DesiredState> e : states.entrySet()) {
            sessions.desiredChanged(e.getKey(), generations.get(e.getKey()), e.getValue());
        }
    }

    /**
     * A cluster's desired state: its workloads, and per tenant with replicas there the namespace
     * with the tenant's labels, a quota of what its replicas there request plus the headroom, and
     * its network rules with only the cross-tenant allows both tenants agreed on.
     */
    private DesiredState desiredOf(Pass pass, String cluster) {
        Map<String, DesiredState.Workload> workloads = byCluster.getOrDefault(cluster, Map.of());
        TreeMap<String, DesiredState.Workload> sorted = new TreeMap<>(workloads);
        Map<String, Quantities> share = new TreeMap<>();
        Map<String, Tenant> tenants = new TreeMap<>();
        for (DesiredState.Workload w : sorted.values()) {
            share.merge(w.tenant(), new Quantities(w.cpuMillis(), w.memoryMiB(), 1).times(w.replicas()), Quantities::plus);
            Placed p = placed.get(new AppKey(w.tenant(), w.app()));
            if (p != null) {
                tenants.putIfAbsent(w.tenant(), p.tenant());
            }
        }
        TreeMap<String, DesiredState.Namespace> namespaces = new TreeMap<>();
        for (Map.Entry<String, Quantities> e : share.entrySet()) {
            Tenant t = tenants.get(e.getKey());
            namespaces.put(e.getKey(), new DesiredState.Namespace(e.getKey(), t == null ? Map.of() : t.labels(),
                    capped(withHeadroom(e.getValue()), t, cluster), t == null ? Tenant.NetworkRules.NONE : NetworkAgreement.effective(t,
                            peer -> pass.tenant(peer).orElse(null))));
        }
        return new DesiredState(namespaces, sorted);
    }

    /** {@code q} no higher than the tenant's per-cluster cap there, where it has one. */
    private static Quantities capped(Quantities q, Tenant t, String cluster) {
        if (t == null) {
            return q;
        }
        for (Tenant.ClusterQuota cap : t.quota().perCluster()) {
            if (cap.cluster().equals(cluster)) {
                q = new Quantities(cap.cpuMillis() == null ? q.cpuMillis() : Math.min(q.cpuMillis(), cap.cpuMillis()),
                        cap.memoryMiB() == null ? q.memoryMiB() : Math.min(q.memoryMiB(), cap.memoryMiB()),
                        cap.replicas() == null ? q.pods() : Math.min(q.pods(), cap.replicas()));
            }
        }
        return q;
    }

    private Quantities withHeadroom(Quantities q) {
        return new Quantities(up(q.cpuMillis()), up(q.memoryMiB()), up(q.pods()));
    }

    private long up(long v) {
        return v + (v * quotaHeadroomPercent + 99) / 100;
    }

    private void finishDrains(Pass pass) {
        for (Cluster c : pass.clusters.values()) {
            if (c.draining() && byCluster.getOrDefault(c.name(), Map.of()).isEmpty()) {
                if (store.finishDrain(pass.epoch, c.name())) {
                    LOG.info("cluster {} is drained: it stays cordoned", c.name());
                }
            }
        }
    }

    // ---------------------------------------------------------------- pieces

    private ClusterSnapshot snapshotWithout(Pass pass, Placed mine) {
        List<ClusterInfo> infos = new ArrayList<>(pass.clusters.size());
        for (Cluster c : pass.clusters.values()) {
            Quantities requested = c.unmanagedRequested().plus(ledger.getOrDefault(c.name(), Quantities.ZERO));
            if (mine != null) {
                int n = mine.shares().getOrDefault(c.name(), 0);
                if (n > 0) {
                    requested = requested.minusFloored(mine.perReplica().times(n));
                }
            }
            infos.add(SchedulerRequests.toScheduler(c, requested));
        }
        return ClusterSnapshot.of(infos);
    }

    /** Milliseconds until every cluster of {@code p} has been READY for the failback window; 0 or less: now. */
    private long stableIn(Pass pass, Placement p) {
        long wait = 0;
        for (String c : p.asMap().keySet()) {
            Cluster cluster = pass.clusters.get(c);
            long since = cluster == null ? pass.now : cluster.readySince() == 0 ? cluster.createdAt() : cluster.readySince();
            wait = Math.max(wait, since + failbackWindow.toMillis() - pass.now);
        }
        return wait;
    }

    private Explanation explain(Placement p, Map<String, Integer> pinned, Pass pass, long generation) {
        Explanation e = PlacementService.toExplanation(p, generation, pass.now);
        if (pinned.isEmpty()) {
            return e;
        }
        Map<String, Integer> merged = new TreeMap<>();
        e.placements().forEach(s -> merged.put(s.cluster(), s.replicas()));
        pinned.forEach((c, n) -> merged.merge(c, n, Integer::sum));
        List<Explanation.Decision> decisions = e.clusters().stream().map(d -> {
            Integer n = pinned.get(d.cluster());
            if (n == null) {
                return d;
            }
            String why = pass.clusters.get(d.cluster()).state() == Cluster.State.CORDONED
                    ? "cordoned: keeps its " + n + " replica(s), takes no new ones"
                    : "not ready: keeps its " + n + " replica(s) until it is lost";
            return new Explanation.Decision(d.cluster(), false, why, d.weight(), d.fit(), d.score(), d.replicas() + n,
                    d.note());
        }).toList();
        return new Explanation(merged.entrySet().stream().map(x -> new Explanation.Share(x.getKey(), x.getValue())).toList(),
                e.unschedulable(), e.unschedulableReason(), decisions, e.generation(), e.computedAt());
    }

    private App.Status status(Placed p, App.Status before, long now) {
        List<App.ClusterReplicas> clusters = new ArrayList<>();
        int ready = 0;
        int desired = 0;
        for (Map.Entry<String, Integer> e : new TreeMap<>(p.shares()).entrySet()) {
            int r = Math.min(e.getValue(), reports.ready(p.app().tenant(), p.app().name(), e.getKey()));
            clusters.add(new App.ClusterReplicas(e.getKey(), e.getValue(), r));
            ready += r;
            desired += e.getValue();
        }
        List<App.Condition> conditions = new ArrayList<>();
        if (p.unschedulable() == 0) {
            conditions.add(condition(before, "Scheduled", "True", "Placed", desired + " replica(s) placed in "
                    + clusters.size() + " cluster(s)", now));
        } else {
            conditions.add(condition(before, "Scheduled", "False", "Unschedulable", p.unschedulable()
                    + " replica(s) could not be placed: " + p.unschedulableReason(), now));
        }
        int wanted = p.app().spec().replicas();
        if (ready >= wanted) {
            conditions.add(condition(before, "Available", "True", "AllReady", ready + " of " + wanted + " ready", now));
        } else {
            conditions.add(condition(before, "Available", "False", "Progressing", ready + " of " + wanted + " ready", now));
        }
        return new App.Status(p.app().generation(), clusters, conditions, p.unschedulable(), p.unschedulableReason());
    }

    /** A condition that keeps its previous transition time while its status stays. */
    private static App.Condition condition(App.Status before, String type, String status, String reason, String message,
                                           long now) {
        for (App.Condition c : before.conditions()) {
            if (c.type().equals(type) && c.status().equals(status)) {
                return new App.Condition(type, status, reason, message, c.lastTransition());
            }
        }
        return new App.Condition(type, status, reason, message, now);
    }

    /** Trims pinned shares to at most {@code max} replicas, from the largest (ties: later name first). */
    private static void trim(Map<String, Integer> pinned, int max) {
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

    private static boolean sameDecision(StoredPlacement a, StoredPlacement b) {
        return a.policyHash().equals(b.policyHash()) && a.generation() == b.generation() && a.shares().equals(b.shares())
                && a.explanation() != null && b.explanation() != null
                && withoutTime(a.explanation()).equals(withoutTime(b.explanation()));
    }

    private static Explanation withoutTime(Explanation e) {
        return new Explanation(e.placements(), e.unschedulable(), e.unschedulableReason(), e.clusters(), e.generation(), 0);
    }

    /**
     * The app with a {@code maxReplicas} limit on every cluster where its tenant has a per-cluster
     * cap: what the cap leaves after the tenant's other replicas there.
     */
    private App withClusterCaps(App a, Tenant t, Placed mine, Quantities per) {
        if (t.quota().perCluster().isEmpty()) {
            return a;
        }
        List<App.Limit> limits = new ArrayList<>(a.spec().placement().clusterLimits());
        Map<String, Quantities> placedHere = tenantClusterPlaced.getOrDefault(t.name(), Map.of());
        for (Tenant.ClusterQuota cap : t.quota().perCluster()) {
            Quantities used = placedHere.getOrDefault(cap.cluster(), Quantities.ZERO);
            int own = mine == null ? 0 : mine.shares().getOrDefault(cap.cluster(), 0);
            used = used.minusFloored(per.times(own));
            long allowed = Integer.MAX_VALUE;
            allowed = Math.min(allowed, room(cap.replicas(), used.pods(), 1));
            allowed = Math.min(allowed, room(cap.cpuMillis(), used.cpuMillis(), per.cpuMillis()));
            allowed = Math.min(allowed, room(cap.memoryMiB(), used.memoryMiB(), per.memoryMiB()));
            limits.add(new App.Limit(new dev.fedplane.controlplane.common.ClusterSelector(List.of(cap.cluster()), Map.of(),
                    List.of()), 0, (int) allowed));
        }
        App.Policy p = a.spec().placement();
        App.Policy capped = new App.Policy(p.clusterAffinity(), p.tolerations(), p.type(), p.division(), p.weights(), limits,
                p.spread(), p.burst(), p.failback());
        App.Spec s = a.spec();
        return new App(a.tenant(), a.name(), a.generation(), new App.Spec(s.image(), s.replicas(), s.cpuMillis(),
                s.memoryMiB(), s.ports(), s.env(), capped), a.status(), a.resourceVersion(), a.createdAt(), a.updatedAt());
    }

    /** Replicas of {@code per} each that fit under {@code cap} after {@code used}; no cap or no demand: unlimited. */
    private static long room(Long cap, long used, long per) {
        if (cap == null || per <= 0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(0, (cap - used) / per);
    }

    private static App withReplicas(App a, int replicas) {
        return new App(a.tenant(), a.name(), a.generation(), a.spec().withReplicas(replicas), a.status(),
                a.resourceVersion(), a.createdAt(), a.updatedAt());
    }

    private static Quantities perReplica(App a) {
        return new Quantities(a.spec().cpuMillis(), a.spec().memoryMiB(), 1);
    }

    private static Quantities max(Quantities a, Quantities b) {
        return new Quantities(Math.max(a.cpuMillis(), b.cpuMillis()), Math.max(a.memoryMiB(), b.memoryMiB()),
                Math.max(a.pods(), b.pods()));
    }

    private static Quantities minus(Quantities a, Quantities b) {
        return new Quantities(a.cpuMillis() - b.cpuMillis(), a.memoryMiB() - b.memoryMiB(), a.pods() - b.pods());
    }

    private static AppKey key(App a) {
        return new AppKey(a.tenant(), a.name());
    }

    static String policyHash(App.Policy policy) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest(Json.write(policy).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
