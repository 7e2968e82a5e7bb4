package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.events.WorkloadReadyChanged;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agents last reported of each app in their cluster: ready replicas, and for rollouts the
 * revision the Deployment runs or rolls toward with its desired, updated and available replicas.
 * Held in memory by the leader: agents report again on every connect and with every heartbeat, so a
 * new leader learns them within one interval. A changed ready count, revision or updated count is
 * published as {@link WorkloadReadyChanged} on the reporting thread. Thread-safe.
 */
@Singleton
public class WorkloadReports {
    /**
     * One workload's report: the app, its ready replicas, and its Deployment's desired replicas,
     * revision (0: none), updated and available replicas.
     */
    public record Report(
            String tenant,
            String app,
            int ready,
            int desired,
            long revision,
            int updated,
            int available) {
        public Report(String tenant, String app, int ready) {
            this(tenant, app, ready, 0, 0, 0, 0);
        }
    }

    /** A workload's progress in one cluster, as last reported. */
    public record Progress(long revision, int desired, int updated, int ready, int available) {
        public static final Progress NONE = new Progress(0, 0, 0, 0, 0);
    }

    private final Map<String, Map<String, Progress>> byCluster = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher<WorkloadReadyChanged> events;

    public WorkloadReports(ApplicationEventPublisher<WorkloadReadyChanged> events) {
        this.events = events;
    }

    public int ready(String tenant, String app, String cluster) {
        return progress(tenant, app, cluster).map(Progress::ready).orElse(0);
    }

    /** What the cluster's agent last reported of the app; empty when it reported nothing of it. */
    public Optional<Progress> progress(String tenant, String app, String cluster) {
        Map<String, Progress> m = byCluster.get(cluster);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(tenant + "/" + app));
    }

    /** A cluster's full report: apps it no longer reports have no ready replicas there. */
    public void report(String cluster, Iterable<Report> reports) {
        Map<String, Progress> next = new HashMap<>();
        for (Report r : reports) {
            next.put(
                    r.tenant() + "/" + r.app(),
                    new Progress(
                            Math.max(0, r.revision()),
                            Math.max(0, r.desired()),
                            Math.max(0, r.updated()),
                            Math.max(0, r.ready()),
                            Math.max(0, r.available())));
        }
        Map<String, Progress> before = byCluster.put(cluster, next);
        Map<String, Progress> old = before == null ? Map.of() : before;
        for (Map.Entry<String, Progress> e : next.entrySet()) {
            Progress was = old.get(e.getKey());
            Progress now = e.getValue();
            if (was == null
                    ? now.ready() != 0 || now.revision() != 0
                    : was.ready() != now.ready()
                            || was.revision() != now.revision()
                            || was.updated() != now.updated()) {
                tell(e.getKey());
            }
        }
        for (Map.Entry<String, Progress> e : old.entrySet()) {
            if (!next.containsKey(e.getKey()) && e.getValue().ready() != 0) {
                tell(e.getKey());
            }
        }
    }

    public void forget(String tenant, String app) {
        String key = tenant + "/" + app;
        for (Map<String, Progress> m : byCluster.values()) {
            m.remove(key);
        }
    }

    public void clear() {
        byCluster.clear();
    }

    private void tell(String key) {
        int slash = key.indexOf('/');
        events.publishEvent(
                new WorkloadReadyChanged(key.substring(0, slash), key.substring(slash + 1)));
    }
}
