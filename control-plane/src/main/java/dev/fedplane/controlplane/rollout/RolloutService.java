package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.events.Changed;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Rollout use cases: read an app's rollout with its per-stage and per-cluster progress; pause,
 * resume, approve, abort (each one transaction, a compare-and-set on the rollout); roll back (an
 * app write, see {@link AppService#rollback}). Reads need read access to the app's tenant, writes
 * write access (as the app's own). A write that changes which revision a cluster runs tells the
 * reconciler ({@link Changed}). Thread-safe.
 */
@Singleton
public class RolloutService {
    private final AppStore apps;
    private final AppService appService;
    private final RolloutStore store;
    private final ClusterStore clusters;
    private final Clock clock;
    private final ApplicationEventPublisher<Changed> changes;

    public RolloutService(
            AppStore apps,
            AppService appService,
            RolloutStore store,
            ClusterStore clusters,
            Clock clock,
            ApplicationEventPublisher<Changed> changes) {
        this.apps = apps;
        this.appService = appService;
        this.store = store;
        this.clusters = clusters;
        this.clock = clock;
        this.changes = changes;
    }

    /** One cluster of a rollout as {@code GetRollout} shows it. */
    public record ClusterStatus(
            String cluster,
            long revision,
            long reportedRevision,
            int desired,
            int updated,
            int ready,
            int available,
            String state,
            String message) {}

    public record StageStatus(
            String name, String state, List<ClusterStatus> clusters, long readySince) {}

    public record View(AppRollout rollout, List<StageStatus> stages) {}

    /** What a rollback made: the new revision, the app as written, its rollout (or none). */
    public record RolledBack(App app, long revision, Optional<View> rollout) {}

    @Transactional(readOnly = true)
    public View get(Principal caller, String tenant, String name) {
        AppStore.Stored app = load(caller, tenant, name, false);
        AppRollout r =
                store.latest(app.id())
                        .orElseThrow(
                                () ->
                                        FedplaneException.notFound(
                                                "rollout", "of app " + tenant + "/" + name));
        return view(r, app.app());
    }

    /** The app's latest rollout, if it had one (for GetApp); the caller may read the app. */
    @Transactional(readOnly = true)
    public Optional<View> latestOf(long appId, App app) {
        return store.latest(appId).map(r -> view(r, app));
    }

    @Transactional
    public View pause(Principal caller, String tenant, String name, long rolloutId) {
        return act(caller, tenant, name, rolloutId, RolloutStateMachine::pause);
    }

    @Transactional
    public View resume(Principal caller, String tenant, String name, long rolloutId) {
        long now = clock.millis();
        return act(caller, tenant, name, rolloutId, r -> RolloutStateMachine.resume(r, now));
    }

    @Transactional
    public View approve(
            Principal caller, String tenant, String name, long rolloutId, String stage) {
        if (!stage.isEmpty() && !Violations.isDns1123Label(stage)) {
            throw FedplaneException.invalid("stage", "must be a DNS-1123 label (a stage's name)");
        }
        return act(caller, tenant, name, rolloutId, r -> RolloutStateMachine.approve(r, stage));
    }

    @Transactional
    public View abort(Principal caller, String tenant, String name, long rolloutId) {
        return act(caller, tenant, name, rolloutId, RolloutStateMachine::abort);
    }

    /** See {@link AppService#rollback}; the new revision's rollout, when the strategy stages it. */
    @Transactional
    public RolledBack rollback(
            Principal caller,
            String tenant,
            String name,
            long toRevision,
            boolean immediate,
            long resourceVersion) {
        AppService.RolledBack done =
                appService.rollback(caller, tenant, name, toRevision, immediate, resourceVersion);
        AppStore.Stored app = load(caller, tenant, name, true);
        Optional<View> rollout =
                store.latest(app.id())
                        .filter(r -> r.toRevision() == done.revision() && r.state().active())
                        .map(r -> view(r, app.app()));
        return new RolledBack(done.app(), done.revision(), rollout);
    }

    /**
     * The runner's automatic rollback after a failed stage, in one transaction: the rollout becomes
     * ROLLED_BACK (fenced by {@code epoch}, compare-and-set), and a new revision with the old
     * template goes to every cluster at once, written as {@code actor}.
     */
    @Transactional
    public AppService.RolledBack rollbackAfterFailure(
            long epoch, AppRollout failed, Principal actor) {
        store.updateAsLeader(epoch, failed);
        return appService.rollback(
                actor, failed.tenant(), failed.app(), failed.fromRevision(), true, 0);
    }

    /** The runner's write of a rollout, fenced; {@code replan}: which cluster runs what changed. */
    @Transactional
    public AppRollout saveAsLeader(long epoch, AppRollout r, boolean replan) {
        AppRollout saved = store.updateAsLeader(epoch, r);
        if (replan) {
            changes.publishEvent(Changed.app(r.tenant(), r.app()));
        }
        return saved;
    }

    private View act(
            Principal caller,
            String tenant,
            String name,
            long rolloutId,
            Function<AppRollout, RolloutStateMachine.Result> how) {
        Violations v = new Violations();
        v.requireNonNegative("rollout_id", rolloutId);
        v.throwIfAny();
        AppStore.Stored app = load(caller, tenant, name, true);
        AppRollout r =
                store.latest(app.id())
                        .orElseThrow(
                                () ->
                                        FedplaneException.notFound(
                                                "rollout", "of app " + tenant + "/" + name));
        if (rolloutId != 0 && rolloutId != r.id()) {
            throw FedplaneException.failedPrecondition(
                    "the latest rollout of app "
                            + tenant
                            + "/"
                            + name
                            + " is "
                            + r.id()
                            + ", not "
                            + rolloutId);
        }
        RolloutStateMachine.Result res = how.apply(r);
        AppRollout saved =
                store.update(r.with(res.state(), res.progress(), res.message(), clock.millis()));
        changes.publishEvent(Changed.app(tenant, name));
        return view(saved, app.app());
    }

    private AppStore.Stored load(Principal caller, String tenant, String name, boolean forWrite) {
        Violations v = new Violations();
        v.requireDns1123Label("tenant", tenant);
        v.requireDns1123Label("name", name);
        v.throwIfAny();
        if (forWrite) {
            Access.requireWrite(caller, tenant);
        } else {
            Access.requireRead(caller, tenant);
        }
        return apps.find(tenant, name)
                .orElseThrow(() -> FedplaneException.notFound("app", tenant + "/" + name));
    }

    // ---------------------------------------------------------------- the view

    View view(AppRollout r, App app) {
        Map<String, Map<String, String>> labels = new TreeMap<>();
        for (Cluster c : clusters.all()) {
            labels.put(c.name(), c.labels());
        }
        return view(r, app, labels);
    }

    /** Per stage, the app's clusters (those with desired replicas) and where each is. Pure. */
    static View view(AppRollout r, App app, Map<String, Map<String, String>> labels) {
        List<App.Stage> stages = r.strategy().stages();
        List<List<ClusterStatus>> byStage = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            byStage.add(new ArrayList<>());
        }
        RolloutProgress p = r.progress();
        List<App.ClusterReplicas> placed = new ArrayList<>(app.status().clusters());
        placed.sort(java.util.Comparator.comparing(App.ClusterReplicas::cluster));
        for (App.ClusterReplicas c : placed) {
            if (c.desired() <= 0 || stages.isEmpty()) {
                continue;
            }
            int stage =
                    RolloutStateMachine.stageOf(stages, labels.getOrDefault(c.cluster(), Map.of()));
            boolean onNew = RolloutStateMachine.onNewRevision(r, c.cluster(), stage);
            RolloutProgress.Observed o = p.observed().get(c.cluster());
            RolloutStateMachine.ClusterView cv =
                    new RolloutStateMachine.ClusterView(c.cluster(), stage, c.desired(), o);
            String state;
            String message = "";
            if (c.cluster().equals(p.failedCluster())
                    && (r.state() == AppRollout.State.PAUSED
                            || r.state() == AppRollout.State.ROLLED_BACK)) {
                state = "FAILED";
                message = r.message();
            } else if (!onNew) {
                state = "PENDING";
            } else if (RolloutStateMachine.finished(r.toRevision(), cv)) {
                state = "DONE";
            } else {
                state = "UPDATING";
            }
            byStage.get(stage)
                    .add(
                            new ClusterStatus(
                                    c.cluster(),
                                    onNew ? r.toRevision() : r.fromRevision(),
                                    o == null ? 0 : o.revision(),
                                    c.desired(),
                                    o == null ? 0 : o.updated(),
                                    o == null ? 0 : o.ready(),
                                    o == null ? 0 : o.available(),
                                    state,
                                    message));
        }
        List<StageStatus> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            out.add(
                    new StageStatus(
                            stages.get(i).name(),
                            stageState(r, i),
                            byStage.get(i),
                            i == p.stage() ? p.readySince() : 0));
        }
        return new View(r, out);
    }

    private static String stageState(AppRollout r, int i) {
        RolloutProgress p = r.progress();
        if (i < p.stage() || r.state() == AppRollout.State.COMPLETED) {
            return "SUCCEEDED";
        }
        if (i > p.stage()) {
            return "PENDING";
        }
        return switch (r.state()) {
            case PROGRESSING -> p.readySince() > 0 ? "SOAKING" : "PROGRESSING";
            case WAITING_APPROVAL -> "WAITING_APPROVAL";
            case PAUSED -> p.failedCluster().isEmpty() ? "PAUSED" : "FAILED";
            case ROLLED_BACK -> "FAILED";
            case ABORTED -> "ABORTED";
            default -> "SUPERSEDED";
        };
    }
}
