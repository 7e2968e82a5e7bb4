package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.agent.WorkloadReports;
import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.audit.AuditLog;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.auth.Role;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.ha.LeaderTicker;
import dev.fedplane.controlplane.ha.Leadership;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.exceptions.OptimisticLockException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's runner of staged rollouts. Every {@code fedplane.rollouts.tick-interval} it reads
 * the active rollouts from the store and takes one {@link RolloutStateMachine#step} for each, with
 * the app's placement (its status: desired replicas per cluster), the clusters' labels, the agents'
 * reports ({@link WorkloadReports}; where a cluster has not reported to this leader yet, what the
 * rollout last stored) and the injected clock. It writes a changed rollout fenced by its epoch and
 * tells the reconciler when a cluster's revision changed; the reconciler then renders each cluster
 * the revision the stored rollout says. A failed stage with {@code on_failure: ROLLBACK} becomes a
 * new revision with the old template, sent to every cluster at once, written as principal {@code
 * rollout:<id>} and audited.
 *
 * <p>Everything it needs is in the store, so a new leader goes on where the old one stopped.
 * Threading: one worker thread while this instance leads.
 */
@Context
public class RolloutRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);

    private final RolloutStore store;
    private final RolloutService service;
    private final AppStore apps;
    private final ClusterStore clusters;
    private final WorkloadReports reports;
    private final AuditLog audit;
    private final Clock clock;

    private final LeaderTicker ticker;

    public RolloutRunner(
            RolloutStore store,
            RolloutService service,
            AppStore apps,
            ClusterStore clusters,
            WorkloadReports reports,
            AuditLog audit,
            Clock clock,
            Leadership leadership,
            @Value("${fedplane.rollouts.tick-interval:1s}") Duration tick) {
        this.store = store;
        this.service = service;
        this.apps = apps;
        this.clusters = clusters;
        this.reports = reports;
        this.audit = audit;
        this.clock = clock;
        this.ticker = new LeaderTicker("fedplane-rollouts", tick, () -> {}, this::tick);
        leadership.addListener(ticker);
    }

    @PreDestroy
    void stop() {
        ticker.stop();
    }

    /** One round over every active rollout. */
    void tick(long ep) {
        List<AppRollout> active = store.active();
        if (active.isEmpty()) {
            return;
        }
        Map<String, Map<String, String>> labels = new TreeMap<>();
        for (Cluster c : clusters.all()) {
            labels.put(c.name(), c.labels());
        }
        for (AppRollout r : active) {
            try {
                advance(ep, r, labels);
            } catch (OptimisticLockException e) {
                LOG.info("rollout {} changed meanwhile; next tick goes on", r.id());
            } catch (RuntimeException e) {
                LOG.warn("rollout {}: {}; next tick retries", r.id(), e.toString(), e);
            }
        }
    }

    private void advance(long ep, AppRollout r, Map<String, Map<String, String>> labels) {
        Optional<AppStore.Stored> found = apps.find(r.tenant(), r.app());
        if (found.isEmpty() || found.get().id() != r.appId()) {
            return; // deleted: its rows go with it
        }
        App app = found.get().app();
        List<RolloutStateMachine.ClusterView> views = new ArrayList<>();
        for (App.ClusterReplicas c : app.status().clusters()) {
            if (c.desired() <= 0) {
                continue;
            }
            int stage =
                    RolloutStateMachine.stageOf(
                            r.strategy().stages(), labels.getOrDefault(c.cluster(), Map.of()));
            RolloutProgress.Observed o =
                    reports.progress(r.tenant(), r.app(), c.cluster())
                            .map(
                                    w ->
                                            new RolloutProgress.Observed(
                                                    w.revision(),
                                                    w.desired(),
                                                    w.updated(),
                                                    w.ready(),
                                                    w.available()))
                            .orElse(r.progress().observed().get(c.cluster()));
            views.add(new RolloutStateMachine.ClusterView(c.cluster(), stage, c.desired(), o));
        }
        long now = clock.millis();
        RolloutStateMachine.Result res = RolloutStateMachine.step(r, views, now);
        if (!res.changed(r)) {
            return;
        }
        AppRollout next = r.with(res.state(), res.progress(), res.message(), now);
        for (String e : res.events()) {
            LOG.info("rollout {} of app {}/{}: {}", r.id(), r.tenant(), r.app(), e);
        }
        if (res.rollback()) {
            Principal actor = new Principal("rollout:" + r.id(), Role.PLATFORM_ADMIN, null);
            AppService.RolledBack done;
            try {
                done = service.rollbackAfterFailure(ep, next, actor);
            } catch (FedplaneException e) {
                // Refused (the tenant's quota, say): nothing was written; the rollout pauses.
                String why =
                        res.message() + "; the automatic rollback was refused: " + e.getMessage();
                service.saveAsLeader(
                        ep, r.with(AppRollout.State.PAUSED, res.progress(), why, now), false);
                audited(r, "RollbackAppRefused", why);
                return;
            }
            audited(
                    r,
                    "RollbackApp",
                    "rolled back to revision "
                            + r.fromRevision()
                            + "'s template as revision "
                            + done.revision()
                            + ": "
                            + res.message());
            return;
        }
        boolean replan =
                res.state() != r.state()
                        || res.progress().stage() != r.progress().stage()
                        || !res.progress()
                                .started()
                                .keySet()
                                .equals(r.progress().started().keySet());
        service.saveAsLeader(ep, next, replan);
        if (res.state() != r.state()) {
            audited(r, "Rollout" + res.state(), res.message());
        }
    }

    private void audited(AppRollout r, String method, String message) {
        audit.record(
                "rollout:" + r.id(),
                Role.PLATFORM_ADMIN.wireName(),
                "RolloutRunner/" + method,
                r.tenant(),
                "rollout/" + r.tenant() + "/" + r.app(),
                "OK",
                message);
    }
}
