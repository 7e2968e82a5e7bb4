package dev.fedplane.controlplane.burst;

import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.PageToken;
import dev.fedplane.controlplane.common.Violations;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Peak-event use cases: create, read, dry-run and cancel burst plans. Every call needs the
 * platform-admin role: a plan scales apps of several tenants and may raise their quotas. Creating
 * stores the plan as {@code PLANNED}; the leader's {@link BurstRunner} does the rest. Thread-safe.
 */
@Singleton
public class BurstPlanService {
    /** The most targets and ramp steps a plan may have. */
    static final int MAX_TARGETS = 1000;

    static final int MAX_STEPS = 100;

    private final BurstPlanStore store;
    private final BurstLiveState live;
    private final Clock clock;
    private final Duration failbackWindow;

    public BurstPlanService(
            BurstPlanStore store,
            BurstLiveState live,
            Clock clock,
            @Value("${fedplane.reconciler.failback-window:60s}") Duration failbackWindow) {
        this.store = store;
        this.live = live;
        this.clock = clock;
        this.failbackWindow = failbackWindow;
    }

    public record Page(List<BurstPlan> plans, String nextPageToken) {}

    /** A target app as resolved from a spec's targets: the app and its target entry. */
    public record Resolved(AppStore.Stored stored, BurstPlan.Target target) {}

    public BurstPlan create(Principal caller, String name, BurstPlan.Spec spec) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        v.requireDns1123Label("name", name);
        validate(spec, "spec", clock.millis(), v);
        v.throwIfAny();
        BurstPlanner.Live state = live.read();
        List<Resolved> mine = resolve(spec, state);
        if (store.exists(name)) {
            throw FedplaneException.alreadyExists("burst plan", name);
        }
        for (BurstPlan other : store.unfinished()) {
            List<Resolved> theirs = resolveLenient(other.spec(), state);
            for (Resolved r : mine) {
                for (Resolved o : theirs) {
                    if (r.stored().id() == o.stored().id()) {
                        throw FedplaneException.failedPrecondition(
                                "app "
                                        + r.stored().app().tenant()
                                        + "/"
                                        + r.stored().app().name()
                                        + " is already a target of burst plan "
                                        + other.name()
                                        + " ("
                                        + other.state()
                                        + "): cancel it or wait until it is done");
                    }
                }
            }
        }
        long now = clock.millis();
        int steps = Math.max(1, spec.window().rampSteps());
        BurstPlan p =
                new BurstPlan(
                        name,
                        spec,
                        BurstPlan.State.PLANNED,
                        "waits for its window to start at "
                                + Instant.ofEpochMilli(spec.window().start()),
                        BurstPlan.Progress.NONE,
                        false,
                        caller.tokenId(),
                        1,
                        now,
                        now);
        return store.insert(
                p,
                new BurstPlan.Event(
                        now,
                        "PLANNED",
                        "created by token "
                                + caller.tokenId()
                                + ": "
                                + mine.size()
                                + " app(s) in "
                                + steps
                                + " step(s), window "
                                + Instant.ofEpochMilli(spec.window().start())
                                + " to "
                                + Instant.ofEpochMilli(spec.window().end())));
    }

    public BurstPlan get(Principal caller, String name) {
        Access.requirePlatformAdmin(caller);
        requireName(name);
        return store.find(name).orElseThrow(() -> FedplaneException.notFound("burst plan", name));
    }

    public Page list(Principal caller, int pageSize, String pageToken) {
        Access.requirePlatformAdmin(caller);
        int size = PageToken.pageSize(pageSize, "page_size");
        String after = PageToken.decode(pageToken, "page_token");
        List<BurstPlan> rows = new ArrayList<>(store.page(after, size + 1));
        String next = "";
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            next = PageToken.encode(rows.get(size - 1).name());
        }
        return new Page(rows, next);
    }

    public List<BurstPlan.Event> events(Principal caller, String name) {
        get(caller, name);
        return store.events(name);
    }

    /**
     * What a plan would do now, at its peak: a stored plan by {@code name}, or {@code spec}
     * (validated as for create, except that its window may lie in the past). Changes nothing.
     */
    public BurstPlanner.Result dryRun(Principal caller, String name, BurstPlan.Spec spec) {
        Access.requirePlatformAdmin(caller);
        BurstPlan.Spec s;
        Map<String, Integer> originals = new HashMap<>();
        Map<String, dev.fedplane.controlplane.app.App.Policy> policies = new HashMap<>();
        if (name != null && !name.isEmpty()) {
            BurstPlan p = get(caller, name);
            s = p.spec();
            for (BurstPlan.TargetProgress t : p.progress().targets()) {
                originals.put(t.tenant() + "/" + t.app(), t.originalReplicas());
                policies.put(t.tenant() + "/" + t.app(), t.originalPolicy());
            }
        } else {
            if (spec == null) {
                throw FedplaneException.invalid("spec", "is required when name is empty");
            }
            Violations v = new Violations();
            validate(spec, "spec", Long.MIN_VALUE, v);
            v.throwIfAny();
            s = spec;
        }
        BurstPlanner.Live state = live.read();
        List<BurstPlanner.Planned> planned = new ArrayList<>();
        for (Resolved r : resolve(s, state)) {
            int original =
                    originals.getOrDefault(
                            r.stored().app().tenant() + "/" + r.stored().app().name(),
                            r.stored().app().spec().replicas());
            planned.add(
                    new BurstPlanner.Planned(
                            r.stored(),
                            r.target().peakOf(original),
                            policies.get(
                                    r.stored().app().tenant() + "/" + r.stored().app().name())));
        }
        return new BurstPlanner(failbackWindow)
                .compute(
                        state,
                        planned,
                        s.budget(),
                        s.cloudClusters(),
                        s.raiseTenantQuotas(),
                        clock.millis());
    }

    /**
     * Cancels a plan: one that has not started ends at once ({@code CANCELLED}); one that ramps or
     * is active scales back (the leader's runner), then ends {@code CANCELLED}. A finished plan
     * cannot be cancelled (FAILED_PRECONDITION).
     */
    public BurstPlan cancel(Principal caller, String name) {
        BurstPlan p = get(caller, name);
        long now = clock.millis();
        if (p.state().finished()) {
            throw FedplaneException.failedPrecondition(
                    "burst plan " + name + " is already " + p.state() + ": nothing to cancel");
        }
        if (p.cancelRequested()) {
            return p;
        }
        String who = "cancelled by token " + caller.tokenId();
        BurstPlan next;
        if (p.state() == BurstPlan.State.PLANNED
                && !p.progress().targets().stream().anyMatch(BurstPlan.TargetProgress::changed)) {
            next = p.with(BurstPlan.State.CANCELLED, who + " before its window", p.progress());
        } else {
            next =
                    p.with(
                            BurstPlan.State.SCALING_BACK,
                            who + ": scaling back to the pre-event counts",
                            p.progress());
        }
        next =
                new BurstPlan(
                        next.name(),
                        next.spec(),
                        next.state(),
                        next.reason(),
                        next.progress(),
                        true,
                        next.createdBy(),
                        next.resourceVersion(),
                        next.createdAt(),
                        now);
        return store.update(
                next,
                List.of(
                        new BurstPlan.Event(
                                now,
                                next.state() == BurstPlan.State.CANCELLED
                                        ? "CANCELLED"
                                        : "SCALING_BACK",
                                next.reason())));
    }

    /**
     * The apps a spec targets, as of {@code state}: NOT_FOUND for a tenant or app that does not
     * exist or a pattern that matches nothing; INVALID_ARGUMENT for an app targeted twice.
     */
    public static List<Resolved> resolve(BurstPlan.Spec spec, BurstPlanner.Live state) {
        List<Resolved> out = new ArrayList<>();
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < spec.targets().size(); i++) {
            BurstPlan.Target t = spec.targets().get(i);
            boolean tenantKnown = state.tenants().containsKey(t.tenant());
            List<AppStore.Stored> found = new ArrayList<>();
            for (AppStore.Stored s : state.apps()) {
                if (s.app().tenant().equals(t.tenant()) && t.matches(s.app().name())) {
                    found.add(s);
                }
            }
            if (found.isEmpty()) {
                if (!t.app().isEmpty()) {
                    throw FedplaneException.notFound("app", t.tenant() + "/" + t.app());
                }
                if (!tenantKnown) {
                    throw FedplaneException.notFound("tenant", t.tenant());
                }
                throw FedplaneException.notFound(
                        "app matching spec.targets[" + i + "]",
                        "(tenant "
                                + t.tenant()
                                + (t.appPattern().isEmpty()
                                        ? " has no apps"
                                        : ", pattern " + t.appPattern())
                                + ")");
            }
            for (AppStore.Stored s : found) {
                Integer before = seen.put(s.id(), i);
                if (before != null) {
                    throw FedplaneException.invalid(
                            "spec.targets[" + i + "]",
                            "app "
                                    + s.app().tenant()
                                    + "/"
                                    + s.app().name()
                                    + " is already a target of spec.targets["
                                    + before
                                    + "]");
                }
                out.add(new Resolved(s, t));
            }
        }
        return out;
    }

    /** {@link #resolve} that skips what no longer exists (the runner, other plans' overlap). */
    static List<Resolved> resolveLenient(BurstPlan.Spec spec, BurstPlanner.Live state) {
        List<Resolved> out = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (BurstPlan.Target t : spec.targets()) {
            for (AppStore.Stored s : state.apps()) {
                if (s.app().tenant().equals(t.tenant())
                        && t.matches(s.app().name())
                        && seen.add(s.id())) {
                    out.add(new Resolved(s, t));
                }
            }
        }
        return out;
    }

    /**
     * Every malformed field of {@code spec} under {@code field}. {@code now}: the window must end
     * after it ({@code Long.MIN_VALUE}: no such check).
     */
    public static void validate(BurstPlan.Spec spec, String field, long now, Violations v) {
        if (spec == null) {
            v.add(field, "is required");
            return;
        }
        BurstPlan.Window w = spec.window();
        String wf = field + ".window";
        if (w == null) {
            v.add(wf, "is required");
        } else {
            if (w.start() <= 0) {
                v.add(wf + ".start_unix_millis", "is required (milliseconds since the epoch)");
            }
            if (w.end() <= 0) {
                v.add(wf + ".end_unix_millis", "is required (milliseconds since the epoch)");
            } else if (w.end() <= w.start()) {
                v.add(wf + ".end_unix_millis", "must be after start_unix_millis");
            } else if (now != Long.MIN_VALUE && w.end() <= now) {
                v.add(
                        wf + ".end_unix_millis",
                        "is in the past (" + Instant.ofEpochMilli(w.end()) + ")");
            }
            if (w.rampSteps() < 0 || w.rampSteps() > MAX_STEPS) {
                v.add(wf + ".ramp_steps", "must be between 0 and " + MAX_STEPS);
            }
            if (w.rampStepMillis() < 0) {
                v.add(wf + ".ramp_step_seconds", "must not be negative");
            }
            if (w.rampSteps() > 1 && w.rampStepMillis() <= 0) {
                v.add(wf + ".ramp_step_seconds", "must be above 0 with more than one ramp step");
            }
            if (w.rampSteps() > 1
                    && w.rampStepMillis() > 0
                    && w.end() > w.start()
                    && w.start() + (w.rampSteps() - 1) * w.rampStepMillis() >= w.end()) {
                v.add(
                        wf + ".ramp_step_seconds",
                        "the last ramp step would come after the window's end");
            }
        }
        if (spec.targets().isEmpty()) {
            v.add(field + ".targets", "must not be empty");
        }
        if (spec.targets().size() > MAX_TARGETS) {
            v.add(field + ".targets", "at most " + MAX_TARGETS + " targets");
        }
        for (int i = 0; i < spec.targets().size(); i++) {
            BurstPlan.Target t = spec.targets().get(i);
            String tf = field + ".targets[" + i + "]";
            v.requireDns1123Label(tf + ".tenant", t.tenant());
            if (!t.app().isEmpty() && !t.appPattern().isEmpty()) {
                v.add(tf + ".app_pattern", "give app or app_pattern, not both");
            } else if (!t.app().isEmpty()) {
                v.requireDns1123Label(tf + ".app", t.app());
            } else if (!t.appPattern().isEmpty() && !t.appPattern().matches("[a-z0-9*?-]{1,63}")) {
                v.add(
                        tf + ".app_pattern",
                        "must be an app name with * and ? wildcards, got \""
                                + t.appPattern()
                                + "\"");
            }
            if ((t.peakReplicas() == null) == (t.multiplier() == null)) {
                v.add(tf + ".peak_replicas", "give exactly one of peak_replicas and multiplier");
            } else if (t.peakReplicas() != null
                    && (t.peakReplicas() < 0 || t.peakReplicas() > 100_000)) {
                v.add(tf + ".peak_replicas", "must be between 0 and 100000");
            } else if (t.multiplier() != null
                    && (!(t.multiplier() >= 1.0)
                            || t.multiplier() > 1000
                            || t.multiplier().isNaN())) {
                v.add(tf + ".multiplier", "must be between 1 and 1000");
            }
        }
        spec.cloudClusters().validate(field + ".cloud_clusters", v);
        BurstPlan.Budget b = spec.budget();
        if (b.maxCloudReplicas() != null && b.maxCloudReplicas() < 0) {
            v.add(field + ".budget.max_cloud_replicas", "must not be negative");
        }
        if (b.maxCloudCostPerHour() != null
                && (!(b.maxCloudCostPerHour() >= 0) || b.maxCloudCostPerHour().isInfinite())) {
            v.add(field + ".budget.max_cloud_cost_per_hour", "must be a non-negative number");
        }
    }

    private static void requireName(String name) {
        Violations v = new Violations();
        v.requireDns1123Label("name", name);
        v.throwIfAny();
    }

    Optional<BurstPlan> find(String name) {
        return store.find(name);
    }
}
