package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.agent.AgentSessions;
import dev.fedplane.controlplane.agent.WorkloadReports;
import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.app.PodTemplate;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.events.Changed;
import dev.fedplane.controlplane.events.ChangedElsewhere;
import dev.fedplane.controlplane.events.ClusterConditionChanged;
import dev.fedplane.controlplane.events.WorkloadReadyChanged;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.placement.StoredPlacement;
import dev.fedplane.controlplane.rollout.AppRollout;
import dev.fedplane.controlplane.rollout.RevisionPlan;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's reconciler: the queue, the leadership lifecycle, passes and flushing. What it does
 * to one app is {@link AppPlacer}'s; what every app holds where is the {@link PlacementLedger}'s;
 * each cluster's desired state is the {@link DesiredStateRenderer}'s.
 *
 * <p>One way in: typed events from {@code dev.fedplane.controlplane.events} ({@link Changed} after
 * an API write commits, {@link ChangedElsewhere} from the change feed, {@link
 * ClusterConditionChanged} from heartbeats and health tracking, {@link WorkloadReadyChanged} from
 * agents' reports) and the periodic resync feed a deduplicating queue of apps, worked off by one
 * thread in passes. A pass reads the clusters once, places each queued app (each decision updates
 * the ledger at once, so the apps of one pass see what the earlier ones took), then writes the
 * apps' placements and statuses and every changed cluster's desired state in fenced transactions,
 * hands the desired states to the agent sessions, and marks drained clusters.
 *
 * <p>Failures: an app whose reconcile throws is logged with its key, counted in {@code
 * fedplane_reconcile_app_failures_total} and queued again after a per-key exponential backoff
 * ({@code fedplane.reconciler.retry-base}, doubling up to {@code retry-max}); every other app of
 * the pass is placed and flushed as usual. A failure of the pass itself (reading the clusters, the
 * fenced write) queues the whole pass again after 1 s.
 *
 * <p>Threading: the ledger, the backoff and everything of a pass are touched by the worker thread
 * only; the queue is guarded by {@code lock}; event listeners only queue and never block.
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
    private final AppPlacer placer;
    private final DesiredStateRenderer renderer;
    private final Timer passTimer;
    private final Timer placeTimer;
    private final Counter appFailures;

    private final Object lock = new Object();
    private final Set<AppKey> pendingApps = new LinkedHashSet<>();
    private final Set<AppKey> pendingStatus = new LinkedHashSet<>();
    private boolean pendingAll;
    private boolean passQueued;
    private volatile long epoch;
    private ScheduledExecutorService worker;

    // Worker-thread state.
    private final PlacementLedger ledger = new PlacementLedger();
    private final Map<String, DesiredState> flushed = new HashMap<>();
    private final RetryBackoff backoff;
    private boolean rebuilt;

    public Reconciler(
            ReconcileStore store,
            AgentSessions sessions,
            WorkloadReports reports,
            Clock clock,
            Leadership leadership,
            MeterRegistry meters,
            @Value("${fedplane.reconciler.resync-interval:30s}") Duration resyncInterval,
            @Value("${fedplane.reconciler.failback-window:60s}") Duration failbackWindow,
            @Value("${fedplane.reconciler.retry-base:200ms}") Duration retryBase,
            @Value("${fedplane.reconciler.retry-max:60s}") Duration retryMax,
            @Value("${fedplane.tenancy.quota-headroom-percent:25}") long quotaHeadroomPercent) {
        this.store = store;
        this.sessions = sessions;
        this.reports = reports;
        this.clock = clock;
        this.resyncInterval = resyncInterval;
        this.placer = new AppPlacer(failbackWindow, reports::ready);
        this.renderer = new DesiredStateRenderer(quotaHeadroomPercent);
        this.backoff = new RetryBackoff(retryBase, retryMax);
        this.passTimer =
                Timer.builder("fedplane_reconcile_pass_seconds")
                        .description("One reconciler pass")
                        .publishPercentiles(0.5, 0.99)
                        .register(meters);
        this.placeTimer =
                Timer.builder("fedplane_reconcile_app_seconds")
                        .description("Reconciling one app")
                        .register(meters);
        this.appFailures =
                Counter.builder("fedplane_reconcile_app_failures")
                        .description(
                                "Apps whose reconcile failed (each retried with per-app exponential backoff)")
                        .register(meters);
        leadership.addListener(this);
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
        ledger.clear();
        flushed.clear();
        store.forgetPlacements();
        backoff.clear();
        rebuilt = false;
    }

    // ---------------------------------------------------------------- the way in

    /**
     * A committed API write (delivered after its commit): an app is reconciled; a tenant or cluster
     * change reconciles every app.
     */
    @TransactionalEventListener
    public void onChanged(Changed c) {
        queue(c);
    }

    /** A write another instance served, from the change feed. */
    @EventListener
    public void onChangedElsewhere(ChangedElsewhere e) {
        queue(e.change());
    }

    /** A cluster's health or capacity changed: every app is reconciled. */
    @EventListener
    public void onClusterCondition(ClusterConditionChanged e) {
        enqueueAll();
    }

    /** An app's reported ready replicas changed: its status is rewritten. */
    @EventListener
    public void onWorkloadReady(WorkloadReadyChanged e) {
        synchronized (lock) {
            pendingStatus.add(new AppKey(e.tenant(), e.app()));
        }
        kick(200);
    }

    private void queue(Changed c) {
        if (c.kind() == Changed.Kind.APP) {
            enqueue(new AppKey(c.tenant(), c.name()));
        } else {
            enqueueAll();
        }
    }

    private void enqueue(AppKey key) {
        synchronized (lock) {
            pendingApps.add(key);
        }
        kick(0);
    }

    /** Reconciles every app in the next pass (cluster changes, resync). */
    private void enqueueAll() {
        synchronized (lock) {
            pendingAll = true;
        }
        kick(0);
    }

    /** Runs {@code task} on the worker after {@code delay} while this leadership lasts. */
    private void later(Duration delay, Runnable task) {
        ScheduledExecutorService w = worker;
        if (w != null && epoch != 0) {
            try {
                w.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ignored) {
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
        } catch (RejectedExecutionException e) {
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
                pass.removed = true; // apps deleted while no one led left their status rows behind
            }
            if (all) {
                reconcileAll(pass);
            } else {
                for (AppKey k : apps) {
                    isolated(
                            pass, k, () -> reconcile(pass, k, store.planned(k.tenant(), k.name())));
                }
            }
            for (AppKey k : statuses) {
                if (!all && !apps.contains(k)) {
                    isolated(pass, k, () -> refreshStatus(pass, k));
                }
            }
            flushDesired(pass);
            if (pass.removed) {
                store.forgetDeletedApps(pass.epoch);
            }
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

    /**
     * Runs one app's part of a pass. When it throws, the app is logged with its key, counted, and
     * queued again after its backoff; the pass goes on with the other apps. A success resets the
     * app's backoff.
     */
    private void isolated(Pass pass, AppKey key, Runnable work) {
        try {
            work.run();
            backoff.forget(key);
        } catch (RuntimeException e) {
            appFailures.increment();
            Duration retryIn = backoff.failed(key);
            LOG.warn(
                    "reconcile of app {} failed ({} time(s) in a row); retrying in {} ms: {}",
                    key,
                    backoff.failures(key),
                    retryIn.toMillis(),
                    e.toString(),
                    e);
            later(retryIn, () -> enqueue(key));
        }
        pass.flushIfFull();
    }

    /**
     * What one pass reads once: clusters, tenants and usage as of its start; its writes and changed
     * clusters.
     */
    private final class Pass {
        final long epoch;
        final Map<String, Cluster> clusters = new TreeMap<>();
        final Map<String, Optional<Tenant>> tenants = new HashMap<>();
        final Map<String, TenantDemand> usage = new HashMap<>();
        final List<ReconcileStore.AppWrite> writes = new ArrayList<>();
        final Set<String> dirty = new TreeSet<>();
        final long now = clock.millis();

        final Map<String, PodTemplate> templates = new HashMap<>();
        private Map<String, Map<String, String>> labels;

        Map<String, Map<String, String>> labels() {
            if (labels == null) {
                labels = new TreeMap<>();
                clusters.values().forEach(c -> labels.put(c.name(), c.labels()));
            }
            return labels;
        }

        /**
         * An app left the ledger (deleted, or its tenant gone): its status row goes after the
         * flush.
         */
        boolean removed;

        Pass(long epoch, List<Cluster> all) {
            this.epoch = epoch;
            for (Cluster c : all) {
                clusters.put(c.name(), c);
            }
        }

        Optional<Tenant> tenant(String name) {
            return tenants.computeIfAbsent(name, store::tenant);
        }

        /**
         * The tenant's summed app demand, read once per pass (a later write queues its app again).
         */
        TenantDemand usage(String tenant) {
            return usage.computeIfAbsent(tenant, store::usage);
        }

        /** Writes the queued app writes, one transaction per {@code WRITE_BATCH}. */
        void flushIfFull() {
            if (writes.size() >= WRITE_BATCH) {
                store.writeApps(epoch, writes);
                writes.clear();
            }
        }
    }

    /** After an election: the ledger from the stored placements, before any app is placed. */
    private void rebuild(Pass pass) {
        ledger.clear();
        long after = 0;
        List<AppStore.Stored> batch;
        do {
            batch = store.appsWithPlacementAfter(after, BATCH);
            for (AppStore.Stored s : batch) {
                after = s.id();
                try {
                    StoredPlacement sp = StoredPlacement.fromJson(s.placementJson());
                    Optional<Tenant> t = pass.tenant(s.app().tenant());
                    if (sp != null && t.isPresent()) {
                        ledger.set(
                                new PlacedApp(
                                        s.id(),
                                        s.app(),
                                        sp.shares(),
                                        PlacedApp.perReplica(s.app()),
                                        t.get(),
                                        sp.explanation() == null
                                                ? 0
                                                : sp.explanation().unschedulable(),
                                        sp.explanation() == null
                                                ? ""
                                                : sp.explanation().unschedulableReason()));
                    }
                } catch (RuntimeException e) {
                    // Its reconcile in this pass fails the same way and is retried with backoff.
                    LOG.warn(
                            "app {}: stored placement unreadable, not in the ledger: {}",
                            AppKey.of(s.app()),
                            e.toString());
                }
            }
        } while (batch.size() == BATCH);
        rebuilt = true;
    }

    private void reconcileAll(Pass pass) {
        Set<AppKey> seen = new HashSet<>();
        long after = 0;
        List<ReconcileStore.Planned> batch;
        do {
            batch = store.plannedAfter(after, BATCH);
            for (ReconcileStore.Planned p : batch) {
                after = p.stored().id();
                AppKey k = AppKey.of(p.stored().app());
                seen.add(k);
                isolated(pass, k, () -> reconcile(pass, k, Optional.of(p)));
            }
        } while (batch.size() == BATCH);
        for (AppKey k : ledger.keys()) {
            if (!seen.contains(k)) {
                remove(pass, k);
            }
        }
        pass.dirty.addAll(pass.clusters.keySet());
    }

    private void reconcile(Pass pass, AppKey key, Optional<ReconcileStore.Planned> found) {
        if (found.isEmpty()) {
            remove(pass, key);
            return;
        }
        AppStore.Stored stored = found.get().stored();
        App app = stored.app();
        Optional<Tenant> tenant = pass.tenant(app.tenant());
        if (tenant.isEmpty()) {
            remove(pass, key);
            return;
        }
        Timer.Sample sample = Timer.start();
        AppPlacer.Decision d =
                placer.placeAfter(
                        stored.id(),
                        app,
                        store.placement(stored.id()),
                        tenant.get(),
                        pass.clusters,
                        ledger,
                        pass.usage(app.tenant()),
                        pass.now);
        if (d.lookAgainInMillis() > 0) {
            later(Duration.ofMillis(d.lookAgainInMillis()), this::enqueueAll);
        }
        if (d.placementChanged()) {
            pass.writes.add(
                    new ReconcileStore.AppWrite(
                            stored.id(), d.placement().toJson(), d.status(), d.placement()));
        } else if (d.changed()) {
            pass.writes.add(new ReconcileStore.AppWrite(stored.id(), null, d.status()));
        }
        pass.dirty.addAll(ledger.set(d.placed().withPlan(plan(pass, found.get()))));
        sample.stop(placeTimer);
    }

    /**
     * Which revision each cluster runs: the app's current one, but where a rollout has not reached
     * a cluster (or was aborted), the rollout's old one. The app, its revision and its rollout come
     * from one snapshot ({@link ReconcileStore.Planned}).
     */
    private RevisionPlan plan(Pass pass, ReconcileStore.Planned planned) {
        long id = planned.stored().id();
        App app = planned.stored().app();
        long revision = planned.revision();
        AppRollout r = planned.rollout();
        if (r == null) {
            return RevisionPlan.steady(revision, app.spec());
        }
        String key = id + "/" + r.fromRevision();
        PodTemplate from = pass.templates.get(key);
        if (from == null) {
            from = store.template(id, r.fromRevision()).orElse(null);
            if (from == null) {
                LOG.warn(
                        "app {}: revision {} of its rollout is gone; every cluster gets revision {}",
                        AppKey.of(app),
                        r.fromRevision(),
                        revision);
            } else {
                pass.templates.put(key, from);
            }
        }
        return RevisionPlan.of(revision, app.spec(), r, from, pass.labels());
    }

    private void refreshStatus(Pass pass, AppKey key) {
        PlacedApp mine = ledger.get(key);
        if (mine == null) {
            return;
        }
        Optional<AppStore.Stored> stored = store.app(key.tenant(), key.name());
        if (stored.isEmpty() || stored.get().app().generation() != mine.app().generation()) {
            enqueue(key);
            return;
        }
        App.Status status = placer.status(mine, stored.get().app().status(), pass.now);
        if (!status.equals(stored.get().app().status())) {
            pass.writes.add(new ReconcileStore.AppWrite(mine.id(), null, status));
        }
    }

    private void remove(Pass pass, AppKey key) {
        PlacedApp gone = ledger.get(key);
        if (gone == null) {
            return;
        }
        store.forgetPlacement(gone.id());
        pass.dirty.addAll(ledger.remove(key));
        pass.removed = true;
        reports.forget(key.tenant(), key.name());
    }

    /**
     * The pass's remaining app writes and every changed cluster's desired state, in one
     * transaction; then the agents are told. A cluster whose rendered state equals the one this
     * leadership last stored is neither written nor sent again (a full pass renders every cluster).
     */
    private void flushDesired(Pass pass) {
        Map<String, DesiredState> states = new TreeMap<>();
        for (String cluster : pass.dirty) {
            if (pass.clusters.containsKey(cluster)) {
                DesiredState state =
                        renderer.render(
                                cluster,
                                pass.clusters.get(cluster).labels(),
                                ledger,
                                peer -> pass.tenant(peer).orElse(null));
                if (!state.equals(flushed.get(cluster))) {
                    states.put(cluster, state);
                }
            }
        }
        Map<String, Long> generations = store.writeApps(pass.epoch, pass.writes, states);
        pass.writes.clear();
        flushed.putAll(states);
        for (Map.Entry<String, DesiredState> e : states.entrySet()) {
            sessions.desiredChanged(e.getKey(), generations.get(e.getKey()), e.getValue());
        }
    }

    private void finishDrains(Pass pass) {
        for (Cluster c : pass.clusters.values()) {
            if (c.draining() && ledger.isEmpty(c.name())) {
                if (store.finishDrain(pass.epoch, c.name())) {
                    LOG.info("cluster {} is drained: it stays cordoned", c.name());
                }
            }
        }
    }
}
