package dev.fedplane.controlplane.burst;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.audit.AuditLog;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.auth.Role;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.ha.LeaderTicker;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.controlplane.placement.StoredPlacement;
import dev.fedplane.controlplane.reconcile.AppPlacer;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.exceptions.OptimisticLockException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's runner of burst plans. Every {@code fedplane.burst.tick-interval} it reads the
 * unfinished plans and moves each along {@link BurstStateMachine}: at the start it scales the
 * targets through {@link AppService} (as principal {@code burst:<plan>}, each write audited), IDC
 * first and cloud only for the overflow as {@link BurstPlanner} computes, raising tenant quotas
 * first when the plan says so; at the end, or on cancel, it scales back.
 *
 * <p>Durability (a restart or a new leader resumes every plan): before it changes anything the
 * runner writes to the plan's progress what it is about to do: the pre-event counts, policies and
 * quotas once, before the first change; for each step the count it intends to set. Counts are
 * absolute (the original, the step's count, the peak), so repeating a step changes nothing, and an
 * app whose count is neither the applied nor the intended one was changed by a user.
 *
 * <p>Scale-back, in phases: (1) every target back to its pre-event count, the event policy kept, so
 * the scheduler's burst rule takes the cloud replicas away first; (2) once the reconciler has
 * placed those counts (or after 30 ticks), the pre-event placement policies; (3) the pre-event
 * tenant quotas. The user's rule: an app whose replica count a user changed during the window keeps
 * the user's count (its policy is still restored unless the user changed that too); a quota a user
 * changed is left as the user set it.
 *
 * <p>Threading: one worker thread while this instance leads; plans are written with their resource
 * version (a concurrent cancel wins and the tick retries) and fenced by the epoch.
 */
@Context
public class BurstRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BurstRunner.class);
    private static final int POLICY_WAIT_TICKS = 30;

    private final BurstPlanStore store;
    private final BurstLiveState live;
    private final AppService apps;
    private final TenantService tenants;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration failbackWindow;
    private final MeterRegistry meters;

    private final Map<String, double[]> gauges = new ConcurrentHashMap<>();
    private final LeaderTicker ticker;
    private final Set<String> resumed = new HashSet<>();

    public BurstRunner(
            BurstPlanStore store,
            BurstLiveState live,
            AppService apps,
            TenantService tenants,
            AuditLog audit,
            Clock clock,
            Leadership leadership,
            MeterRegistry meters,
            @Value("${fedplane.burst.tick-interval:1s}") Duration tick,
            @Value("${fedplane.reconciler.failback-window:60s}") Duration failbackWindow) {
        this.store = store;
        this.live = live;
        this.apps = apps;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
        this.failbackWindow = failbackWindow;
        this.meters = meters;
        this.ticker = new LeaderTicker("fedplane-burst", tick, resumed::clear, this::tick);
        leadership.addListener(ticker);
    }

    @PreDestroy
    void stop() {
        ticker.stop();
    }

    /**
     * One round over every unfinished plan (the worker's; tests may call it on a paused runner).
     */
    void tick(long ep) {
        for (BurstPlan p : store.unfinished()) {
            try {
                advance(ep, p);
            } catch (OptimisticLockException e) {
                LOG.info("burst plan {} changed meanwhile; next tick goes on", p.name());
            } catch (RuntimeException e) {
                LOG.warn("burst plan {}: {}; next tick retries", p.name(), e.toString(), e);
            }
        }
    }

    // ---------------------------------------------------------------- one plan

    private void advance(long ep, BurstPlan p) {
        long now = clock.millis();
        // The first time this leadership sees a plan that is under way, it says so.
        if (resumed.add(p.name()) && p.state() != BurstPlan.State.PLANNED) {
            p =
                    save(
                            ep,
                            p,
                            p.state(),
                            p.reason(),
                            p.progress(),
                            List.of(
                                    event(
                                            "RESUMED",
                                            "leader with epoch "
                                                    + ep
                                                    + " resumes the plan at "
                                                    + p.state()
                                                    + " (steps applied: "
                                                    + p.progress().stepsApplied()
                                                    + ", scale-back phase "
                                                    + p.progress().scaleBackPhase()
                                                    + ")")));
        }
        BurstStateMachine.Next next =
                BurstStateMachine.next(
                        p.state(),
                        p.spec().window(),
                        p.progress().stepsApplied(),
                        p.cancelRequested(),
                        now);
        switch (next.action()) {
            case WAIT -> refreshCloud(ep, p);
            case FAIL_MISSED ->
                    save(
                            ep,
                            p,
                            BurstPlan.State.FAILED,
                            next.reason(),
                            p.progress(),
                            List.of(event("FAILED", next.reason())));
            case STEP -> step(ep, p, next.step());
            case ACTIVATE ->
                    save(
                            ep,
                            p,
                            BurstPlan.State.ACTIVE,
                            "at the peak until the window ends",
                            p.progress(),
                            List.of(event("ACTIVE", "every ramp step applied")));
            case SCALE_BACK -> {
                if (p.state() != BurstPlan.State.SCALING_BACK) {
                    p =
                            save(
                                    ep,
                                    p,
                                    BurstPlan.State.SCALING_BACK,
                                    next.reason() + ": scaling back to the pre-event counts",
                                    p.progress(),
                                    List.of(event("SCALING_BACK", next.reason())));
                }
                scaleBack(ep, p);
            }
        }
    }

    /** Applies ramp step {@code k}: quotas first (once), then every target's count and policy. */
    private void step(long ep, BurstPlan p, int k) {
        int steps = BurstStateMachine.steps(p.spec().window());
        BurstPlanner.Live state = live.read();
        List<BurstPlan.Event> events = new ArrayList<>();
        BurstPlan.Progress progress = p.progress();
        if (progress.stepsApplied() == 0 && progress.targets().isEmpty()) {
            // The pre-event counts and policies, recorded once, before anything changes.
            List<BurstPlan.TargetProgress> targets = new ArrayList<>();
            for (BurstPlanService.Resolved r : BurstPlanService.resolveLenient(p.spec(), state)) {
                App a = r.stored().app();
                int original = a.spec().replicas();
                targets.add(
                        new BurstPlan.TargetProgress(
                                a.tenant(),
                                a.name(),
                                original,
                                a.spec().placement(),
                                r.target().peakOf(original),
                                original,
                                original,
                                "",
                                0,
                                0,
                                false,
                                "",
                                false));
            }
            // In the planner's order, so that the reconciler places them in the order computed.
            targets.sort(java.util.Comparator.comparing(t -> t.tenant() + "/" + t.app()));
            progress = progress.withTargets(targets);
            if (targets.isEmpty()) {
                save(
                        ep,
                        p,
                        BurstPlan.State.FAILED,
                        "none of its targets exists any more",
                        progress,
                        List.of(event("FAILED", "no target app exists at the start")));
                return;
            }
            p =
                    save(
                            ep,
                            p,
                            BurstPlan.State.RAMPING,
                            "ramping up: step 0 of " + steps,
                            progress,
                            List.of(
                                    event(
                                            "STARTED",
                                            targets.size()
                                                    + " target app(s), pre-event counts recorded: "
                                                    + summary(targets))));
        }

        // Which targets are still the plan's: those deleted are skipped, those a user scaled are
        // the user's.
        Map<String, AppStore.Stored> byKey = new HashMap<>();
        for (AppStore.Stored s : state.apps()) {
            byKey.put(s.app().tenant() + "/" + s.app().name(), s);
        }
        List<BurstPlan.TargetProgress> targets = new ArrayList<>();
        for (BurstPlan.TargetProgress t : progress.targets()) {
            AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
            if (t.skipped() || t.userOwned()) {
                targets.add(t);
            } else if (s == null) {
                targets.add(skip(t, "the app was deleted"));
                events.add(event("SKIPPED", t.tenant() + "/" + t.app() + ": the app was deleted"));
            } else if (userChanged(t, s.app())) {
                targets.add(owned(t));
                events.add(userOwnedEvent(t, s.app()));
            } else {
                targets.add(t);
            }
        }
        progress = progress.withTargets(targets);

        // Tenant quotas, raised once for the whole window (to what the peak needs).
        if (p.spec().raiseTenantQuotas() && progress.quotas().isEmpty()) {
            List<BurstPlanner.Planned> peak = planned(progress, state, byKey, steps, steps);
            BurstPlanner.Result r =
                    planner()
                            .compute(
                                    state,
                                    peak,
                                    p.spec().budget(),
                                    p.spec().cloudClusters(),
                                    true,
                                    clock.millis());
            List<BurstPlan.QuotaProgress> quotas = new ArrayList<>();
            for (Map.Entry<String, Tenant.Quota> e : r.raisedQuotas().entrySet()) {
                Tenant t = state.tenants().get(e.getKey());
                quotas.add(new BurstPlan.QuotaProgress(e.getKey(), t.quota(), e.getValue(), false));
            }
            if (!quotas.isEmpty()) {
                progress = progress.withQuotas(quotas);
                p = save(ep, p, p.state(), p.reason(), progress, events);
                events = new ArrayList<>();
            }
        }
        for (BurstPlan.QuotaProgress q : progress.quotas()) {
            if (q.restored()) {
                continue;
            }
            Tenant t = state.tenants().get(q.tenant());
            if (t != null && t.quota().equals(q.original()) && !q.original().equals(q.raised())) {
                tenants.update(principal(p), BurstPlanner.withQuota(t, q.raised()));
                audited(
                        p,
                        "UpdateTenant",
                        q.tenant(),
                        "tenant/" + q.tenant(),
                        "quota raised for the window: " + describe(q.raised()));
                events.add(
                        event(
                                "QUOTA_RAISED",
                                q.tenant()
                                        + ": "
                                        + describe(q.original())
                                        + " -> "
                                        + describe(q.raised())));
            }
        }
        if (!progress.quotas().isEmpty()) {
            state = live.read(); // the placement computation sees the raised quotas
            byKey.clear();
            for (AppStore.Stored s : state.apps()) {
                byKey.put(s.app().tenant() + "/" + s.app().name(), s);
            }
        }

        // The step's counts and event policies, computed as the reconciler will place them.
        List<BurstPlanner.Planned> planned = planned(progress, state, byKey, k, steps);
        BurstPlanner.Result result =
                planner()
                        .compute(
                                state,
                                planned,
                                p.spec().budget(),
                                p.spec().cloudClusters(),
                                false,
                                clock.millis());
        Map<String, BurstPlanner.AppResult> byApp = new HashMap<>();
        for (BurstPlanner.AppResult a : result.apps()) {
            byApp.put(a.tenant() + "/" + a.app(), a);
        }
        // First the intent, durably; then the writes.
        List<BurstPlan.TargetProgress> intended = new ArrayList<>();
        for (BurstPlan.TargetProgress t : progress.targets()) {
            BurstPlanner.AppResult a = byApp.get(t.tenant() + "/" + t.app());
            intended.add(a == null ? t : withIntended(t, a.replicas()));
        }
        progress = progress.withTargets(intended);
        p = save(ep, p, p.state(), p.reason(), progress, events);
        events = new ArrayList<>();

        List<BurstPlan.TargetProgress> applied = new ArrayList<>();
        for (BurstPlan.TargetProgress t : progress.targets()) {
            BurstPlanner.AppResult a = byApp.get(t.tenant() + "/" + t.app());
            AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
            if (a == null || s == null) {
                applied.add(t);
                continue;
            }
            App.Spec spec = withPolicy(s.app().spec().withReplicas(a.replicas()), a.policy());
            try {
                if (!spec.equals(s.app().spec())) {
                    apps.update(principal(p), t.tenant(), t.app(), 0, spec);
                    audited(
                            p,
                            "UpdateApp",
                            t.tenant(),
                            "app/" + t.tenant() + "/" + t.app(),
                            "step "
                                    + k
                                    + " of "
                                    + steps
                                    + ": "
                                    + s.app().spec().replicas()
                                    + " -> "
                                    + a.replicas()
                                    + " replicas, "
                                    + a.cloudReplicas()
                                    + " expected in cloud");
                }
                applied.add(
                        withApplied(
                                t,
                                a.replicas(),
                                AppPlacer.policyHash(a.policy()),
                                a.cloudReplicas(),
                                a.cloudCostPerHour()));
                events.add(
                        event(
                                "SCALED",
                                t.tenant()
                                        + "/"
                                        + t.app()
                                        + ": "
                                        + s.app().spec().replicas()
                                        + " -> "
                                        + a.replicas()
                                        + " ("
                                        + a.idcReplicas()
                                        + " IDC, "
                                        + a.cloudReplicas()
                                        + " cloud"
                                        + (a.unschedulable() > 0
                                                ? ", " + a.unschedulable() + " unschedulable"
                                                : "")
                                        + ")"));
            } catch (FedplaneException e) {
                String why = e.code() + ": " + e.getMessage();
                applied.add(t.changed() ? t : skip(t, why));
                events.add(event("SKIPPED", t.tenant() + "/" + t.app() + ": " + why));
                audited(p, "UpdateApp", t.tenant(), "app/" + t.tenant() + "/" + t.app(), why);
            }
        }
        progress = progress.withTargets(applied).withStepsApplied(k);
        boolean any = applied.stream().anyMatch(t -> !t.skipped());
        if (!any) {
            save(
                    ep,
                    p,
                    BurstPlan.State.FAILED,
                    "no target could be scaled (see the events)",
                    progress,
                    concat(events, event("FAILED", "no target could be scaled")));
            return;
        }
        BurstPlan.State s = k >= steps ? BurstPlan.State.ACTIVE : BurstPlan.State.RAMPING;
        String reason =
                s == BurstPlan.State.ACTIVE
                        ? "at the peak until the window ends"
                        : "ramping up: step " + k + " of " + steps;
        events.add(
                event(
                        "STEP",
                        "step "
                                + k
                                + " of "
                                + steps
                                + ": "
                                + result.idcReplicas()
                                + " IDC, "
                                + result.cloudReplicas()
                                + " cloud replica(s), "
                                + String.format(Locale.ROOT, "%.2f", result.cloudCostPerHour())
                                + "/h, "
                                + result.unschedulable()
                                + " unschedulable"
                                + (result.notes().isEmpty()
                                        ? ""
                                        : " (" + String.join("; ", result.notes()) + ")")));
        save(ep, p, s, reason, progress, events);
    }

    private List<BurstPlanner.Planned> planned(
            BurstPlan.Progress progress,
            BurstPlanner.Live state,
            Map<String, AppStore.Stored> byKey,
            int k,
            int steps) {
        List<BurstPlanner.Planned> out = new ArrayList<>();
        for (BurstPlan.TargetProgress t : progress.targets()) {
            AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
            if (s != null && !t.skipped() && !t.userOwned()) {
                out.add(
                        new BurstPlanner.Planned(
                                s,
                                BurstStateMachine.replicasAt(
                                        t.originalReplicas(), t.peakReplicas(), k, steps),
                                t.originalPolicy()));
            }
        }
        return out;
    }

    /** The scale-back phases; each ends with a durable write, so a new leader resumes the next. */
    private void scaleBack(long ep, BurstPlan p) {
        BurstPlan.Progress progress = p.progress();
        BurstPlanner.Live state = live.read();
        Map<String, AppStore.Stored> byKey = new HashMap<>();
        for (AppStore.Stored s : state.apps()) {
            byKey.put(s.app().tenant() + "/" + s.app().name(), s);
        }
        List<BurstPlan.Event> events = new ArrayList<>();
        if (progress.scaleBackPhase() == 0) {
            // (1) counts first: cloud replicas leave first under the event policy.
            List<BurstPlan.TargetProgress> intended = new ArrayList<>();
            for (BurstPlan.TargetProgress t : progress.targets()) {
                AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
                if (!t.changed() || t.userOwned() || t.restored() || s == null) {
                    intended.add(t);
                } else if (userChanged(t, s.app())) {
                    intended.add(owned(t));
                    events.add(userOwnedEvent(t, s.app()));
                } else {
                    intended.add(withIntended(t, t.originalReplicas()));
                }
            }
            progress = progress.withTargets(intended);
            p = save(ep, p, p.state(), p.reason(), progress, events);
            events = new ArrayList<>();
            List<BurstPlan.TargetProgress> done = new ArrayList<>();
            for (BurstPlan.TargetProgress t : progress.targets()) {
                AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
                if (!t.changed() || t.userOwned() || t.restored() || s == null) {
                    done.add(t);
                    continue;
                }
                int now = s.app().spec().replicas();
                if (now != t.originalReplicas()) {
                    writeApp(
                            p,
                            t,
                            s.app().spec().withReplicas(t.originalReplicas()),
                            "scale-back: " + now + " -> " + t.originalReplicas() + " replicas");
                    events.add(
                            event(
                                    "SCALED",
                                    t.tenant()
                                            + "/"
                                            + t.app()
                                            + ": "
                                            + now
                                            + " -> "
                                            + t.originalReplicas()
                                            + " (cloud replicas leave first)"));
                }
                done.add(
                        withApplied(
                                t,
                                t.originalReplicas(),
                                t.appliedPolicyHash(),
                                t.cloudReplicas(),
                                t.cloudCostPerHour()));
            }
            save(
                    ep,
                    p,
                    p.state(),
                    "scaling back: counts restored, waiting for the placement",
                    progress.withTargets(done).withScaleBackPhase(1),
                    events);
            return;
        }
        if (progress.scaleBackPhase() == 1) {
            // (2) once the reconciler placed the counts, the pre-event policies.
            boolean placed = true;
            for (BurstPlan.TargetProgress t : progress.targets()) {
                AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
                if (s != null
                        && t.changed()
                        && !t.restored()
                        && s.app().status().observedGeneration() < s.app().generation()) {
                    placed = false;
                }
            }
            if (!placed && progress.waitTicks() < POLICY_WAIT_TICKS) {
                save(
                        ep,
                        p,
                        p.state(),
                        p.reason(),
                        progress.withWaitTicks(progress.waitTicks() + 1),
                        List.of());
                return;
            }
            List<BurstPlan.TargetProgress> done = new ArrayList<>();
            for (BurstPlan.TargetProgress t : progress.targets()) {
                AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
                if (!t.changed() || t.restored() || s == null) {
                    done.add(t);
                    continue;
                }
                App.Policy current = s.app().spec().placement();
                if (AppPlacer.policyHash(current).equals(t.appliedPolicyHash())) {
                    writeApp(
                            p,
                            t,
                            withPolicy(s.app().spec(), t.originalPolicy()),
                            "scale-back: the pre-event placement policy");
                    events.add(
                            event(
                                    "RESTORED",
                                    t.tenant()
                                            + "/"
                                            + t.app()
                                            + ": pre-event placement policy"
                                            + (t.userOwned()
                                                    ? ", the user's count "
                                                            + s.app().spec().replicas()
                                                            + " kept"
                                                    : ", " + t.originalReplicas() + " replicas")));
                } else {
                    events.add(
                            event(
                                    "USER_OWNED",
                                    t.tenant()
                                            + "/"
                                            + t.app()
                                            + ": its placement policy was changed during the window; left as it is"));
                }
                done.add(restored(t));
            }
            save(
                    ep,
                    p,
                    p.state(),
                    "scaling back: policies restored",
                    progress.withTargets(done).withScaleBackPhase(2),
                    events);
            return;
        }
        if (progress.scaleBackPhase() == 2) {
            List<BurstPlan.QuotaProgress> quotas = new ArrayList<>();
            for (BurstPlan.QuotaProgress q : progress.quotas()) {
                if (q.restored()) {
                    quotas.add(q);
                    continue;
                }
                Tenant t = state.tenants().get(q.tenant());
                if (t == null) {
                    t = tenantOf(q.tenant());
                }
                if (t != null && t.quota().equals(q.raised())) {
                    try {
                        tenants.update(principal(p), BurstPlanner.withQuota(t, q.original()));
                        audited(
                                p,
                                "UpdateTenant",
                                q.tenant(),
                                "tenant/" + q.tenant(),
                                "quota restored after the window: " + describe(q.original()));
                        events.add(
                                event(
                                        "QUOTA_RESTORED",
                                        q.tenant() + ": " + describe(q.original())));
                    } catch (FedplaneException e) {
                        events.add(
                                event(
                                        "QUOTA_KEPT",
                                        q.tenant()
                                                + ": the pre-event quota was not restored: "
                                                + e.getMessage()));
                    }
                } else if (t != null) {
                    events.add(
                            event(
                                    "QUOTA_KEPT",
                                    q.tenant()
                                            + ": its quota was changed during the window; left as it is"));
                }
                quotas.add(new BurstPlan.QuotaProgress(q.tenant(), q.original(), q.raised(), true));
            }
            p =
                    save(
                            ep,
                            p,
                            p.state(),
                            "scaling back: quotas restored",
                            progress.withQuotas(quotas).withScaleBackPhase(3),
                            events);
            progress = p.progress();
            events = new ArrayList<>();
        }
        // (3) done: the cloud figures are what the placements say now.
        List<BurstPlan.TargetProgress> last = new ArrayList<>();
        for (BurstPlan.TargetProgress t : progress.targets()) {
            AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
            double[] cloud = s == null ? new double[2] : cloudOf(s, state);
            last.add(withCloud(t, (int) cloud[0], cloud[1]));
        }
        BurstPlan.State end =
                p.cancelRequested() ? BurstPlan.State.CANCELLED : BurstPlan.State.DONE;
        String why =
                p.cancelRequested()
                        ? "cancelled: scaled back to the pre-event counts"
                        : "the window ended: scaled back to the pre-event counts";
        events.add(event(end.name(), why));
        save(ep, p, end, why, progress.withTargets(last), events);
    }

    /** Keeps each target's cloud replicas and cost equal to what the stored placements say. */
    private void refreshCloud(long ep, BurstPlan p) {
        if (p.state() == BurstPlan.State.PLANNED) {
            gauge(p);
            return;
        }
        BurstPlanner.Live state = live.read();
        Map<String, AppStore.Stored> byKey = new HashMap<>();
        for (AppStore.Stored s : state.apps()) {
            byKey.put(s.app().tenant() + "/" + s.app().name(), s);
        }
        List<BurstPlan.TargetProgress> now = new ArrayList<>();
        for (BurstPlan.TargetProgress t : p.progress().targets()) {
            AppStore.Stored s = byKey.get(t.tenant() + "/" + t.app());
            double[] cloud = s == null ? new double[2] : cloudOf(s, state);
            now.add(withCloud(t, (int) cloud[0], cloud[1]));
        }
        if (!now.equals(p.progress().targets())) {
            p = save(ep, p, p.state(), p.reason(), p.progress().withTargets(now), List.of());
        } else {
            gauge(p);
        }
    }

    private static double[] cloudOf(AppStore.Stored s, BurstPlanner.Live state) {
        StoredPlacement sp = StoredPlacement.fromJson(s.placementJson());
        double[] out = new double[2];
        if (sp == null) {
            return out;
        }
        for (Map.Entry<String, Integer> e : sp.shares().entrySet()) {
            Cluster c = state.clusters().get(e.getKey());
            if (c != null && BurstPlanner.isCloud(c)) {
                out[0] += e.getValue();
                out[1] += e.getValue() * BurstPlanner.replicaCostPerHour(s.app(), c);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private BurstPlanner planner() {
        return new BurstPlanner(failbackWindow);
    }

    private Tenant tenantOf(String name) {
        try {
            return tenants.get(Principal.SYSTEM, name);
        } catch (FedplaneException e) {
            return null;
        }
    }

    private void writeApp(BurstPlan p, BurstPlan.TargetProgress t, App.Spec spec, String what) {
        try {
            apps.update(principal(p), t.tenant(), t.app(), 0, spec);
            audited(p, "UpdateApp", t.tenant(), "app/" + t.tenant() + "/" + t.app(), what);
        } catch (FedplaneException e) {
            if (e.code() != dev.fedplane.controlplane.common.ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }

    private BurstPlan save(
            long ep,
            BurstPlan p,
            BurstPlan.State s,
            String reason,
            BurstPlan.Progress progress,
            List<BurstPlan.Event> events) {
        if (s == p.state()
                && Objects.equals(reason, p.reason())
                && progress.equals(p.progress())
                && events.isEmpty()) {
            return p;
        }
        BurstPlan next =
                new BurstPlan(
                        p.name(),
                        p.spec(),
                        s,
                        reason,
                        progress,
                        p.cancelRequested(),
                        p.createdBy(),
                        p.resourceVersion(),
                        p.createdAt(),
                        clock.millis());
        for (BurstPlan.Event e : events) {
            LOG.info("burst plan {}: {} {}", p.name(), e.kind(), e.message());
        }
        BurstPlan saved = store.updateAsLeader(ep, next, events);
        gauge(saved);
        return saved;
    }

    private void gauge(BurstPlan p) {
        double[] g =
                gauges.computeIfAbsent(
                        p.name(),
                        n -> {
                            double[] v = new double[3];
                            Gauge.builder("fedplane_burst_cloud_replicas", v, x -> x[0])
                                    .description(
                                            "Replicas of a burst plan's targets in cloud clusters")
                                    .tag("plan", n)
                                    .register(meters);
                            Gauge.builder("fedplane_burst_cloud_cost_per_hour", v, x -> x[1])
                                    .description("Cloud cost per hour of a burst plan's targets")
                                    .tag("plan", n)
                                    .register(meters);
                            for (BurstPlan.State s : BurstPlan.State.values()) {
                                Gauge.builder(
                                                "fedplane_burst_plan_state",
                                                v,
                                                x -> x[2] == s.ordinal() ? 1 : 0)
                                        .description("1 for a burst plan's current state")
                                        .tag("plan", n)
                                        .tag("state", s.name())
                                        .register(meters);
                            }
                            return v;
                        });
        g[0] = p.progress().cloudReplicas();
        g[1] = p.progress().cloudCostPerHour();
        g[2] = p.state().ordinal();
    }

    private static Principal principal(BurstPlan p) {
        return new Principal("burst:" + p.name(), Role.PLATFORM_ADMIN, null);
    }

    private void audited(BurstPlan p, String method, String tenant, String target, String msg) {
        audit.record(
                "burst:" + p.name(),
                Role.PLATFORM_ADMIN.wireName(),
                "BurstRunner/" + method,
                tenant,
                target,
                "OK",
                msg);
    }

    private BurstPlan.Event event(String kind, String message) {
        return new BurstPlan.Event(clock.millis(), kind, message);
    }

    private static List<BurstPlan.Event> concat(List<BurstPlan.Event> a, BurstPlan.Event b) {
        List<BurstPlan.Event> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    /** A user changed the count: it is neither what the runner set nor what it was about to set. */
    static boolean userChanged(BurstPlan.TargetProgress t, App a) {
        int n = a.spec().replicas();
        return n != t.appliedReplicas() && n != t.intendedReplicas();
    }

    private BurstPlan.Event userOwnedEvent(BurstPlan.TargetProgress t, App a) {
        return event(
                "USER_OWNED",
                t.tenant()
                        + "/"
                        + t.app()
                        + ": a user set "
                        + a.spec().replicas()
                        + " replicas during the window (the plan set "
                        + t.appliedReplicas()
                        + "); the plan leaves the count as the user set it");
    }

    private static String summary(List<BurstPlan.TargetProgress> targets) {
        StringBuilder b = new StringBuilder();
        for (BurstPlan.TargetProgress t : targets) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(t.tenant())
                    .append('/')
                    .append(t.app())
                    .append(' ')
                    .append(t.originalReplicas())
                    .append(" -> ")
                    .append(t.peakReplicas());
        }
        return b.toString();
    }

    static String describe(Tenant.Quota q) {
        return "replicas "
                + (q.replicas() == null ? "unlimited" : q.replicas())
                + ", cpu_millis "
                + (q.cpuMillis() == null ? "unlimited" : q.cpuMillis())
                + ", memory_mib "
                + (q.memoryMiB() == null ? "unlimited" : q.memoryMiB());
    }

    static App.Spec withPolicy(App.Spec s, App.Policy p) {
        return s.withPlacement(p);
    }

    private static BurstPlan.TargetProgress skip(BurstPlan.TargetProgress t, String why) {
        return new BurstPlan.TargetProgress(
                t.tenant(),
                t.app(),
                t.originalReplicas(),
                t.originalPolicy(),
                t.peakReplicas(),
                t.appliedReplicas(),
                t.intendedReplicas(),
                t.appliedPolicyHash(),
                t.cloudReplicas(),
                t.cloudCostPerHour(),
                t.userOwned(),
                why,
                t.restored());
    }

    private static BurstPlan.TargetProgress owned(BurstPlan.TargetProgress t) {
        return new BurstPlan.TargetProgress(
                t.tenant(),
                t.app(),
                t.originalReplicas(),
                t.originalPolicy(),
                t.peakReplicas(),
                t.appliedReplicas(),
                t.intendedReplicas(),
                t.appliedPolicyHash(),
                t.cloudReplicas(),
                t.cloudCostPerHour(),
                true,
                t.skippedReason(),
                t.restored());
    }

    private static BurstPlan.TargetProgress restored(BurstPlan.TargetProgress t) {
        return new BurstPlan.TargetProgress(
                t.tenant(),
                t.app(),
                t.originalReplicas(),
                t.originalPolicy(),
                t.peakReplicas(),
                t.appliedReplicas(),
                t.intendedReplicas(),
                t.appliedPolicyHash(),
                t.cloudReplicas(),
                t.cloudCostPerHour(),
                t.userOwned(),
                t.skippedReason(),
                true);
    }

    private static BurstPlan.TargetProgress withIntended(BurstPlan.TargetProgress t, int n) {
        return new BurstPlan.TargetProgress(
                t.tenant(),
                t.app(),
                t.originalReplicas(),
                t.originalPolicy(),
                t.peakReplicas(),
                t.appliedReplicas(),
                n,
                t.appliedPolicyHash(),
                t.cloudReplicas(),
                t.cloudCostPerHour(),
                t.userOwned(),
                t.skippedReason(),
                t.restored());
    }

    private static BurstPlan.TargetProgress withApplied(
            BurstPlan.TargetProgress t, int n, String hash, int cloud, double cost) {
        return new BurstPlan.TargetProgress(
                t.tenant(),
                t.app(),
                t.originalReplicas(),
                t.originalPolicy(),
                t.peakReplicas(),
                n,
                n,
                hash,
                cloud,
                cost,
                t.userOwned(),
                t.skippedReason(),
                t.restored());
    }

    private static BurstPlan.TargetProgress withCloud(
            BurstPlan.TargetProgress t, int cloud, double cost) {
        return new BurstPlan.TargetProgress(
                t.tenant(),
                t.app(),
                t.originalReplicas(),
                t.originalPolicy(),
                t.peakReplicas(),
                t.appliedReplicas(),
                t.intendedReplicas(),
                t.appliedPolicyHash(),
                cloud,
                cost,
                t.userOwned(),
                t.skippedReason(),
                t.restored());
    }
}
