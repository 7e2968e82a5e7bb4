package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.events.WorkloadReadyChanged;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ready replicas per app and cluster, as the agents last reported them. Held in memory by the
 * leader: agents report again on every connect and with every heartbeat, so a new leader learns
 * them within one interval. A changed ready count is published as {@link WorkloadReadyChanged} on
 * the reporting thread. Thread-safe.
 */
@Singleton
public class WorkloadReports {
    /** One workload's report: the app and the ready replicas the agent sees. */
    public record Report(String tenant, String app, int ready) {}

    private final Map<String, Map<String, Integer>> readyByCluster = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher<WorkloadReadyChanged> events;

    public WorkloadReports(ApplicationEventPublisher<WorkloadReadyChanged> events) {
        this.events = events;
    }

    public int ready(String tenant, String app, String cluster) {
        Map<String, Integer> m = readyByCluster.get(cluster);
        return m == null ? 0 : m.getOrDefault(tenant + "/" + app, 0);
    }

    /** A cluster's full report: apps it no longer reports have no ready replicas there. */
    public void report(String cluster, Iterable<Report> reports) {
        Map<String, Integer> next = new HashMap<>();
        for (Report r : reports) {
            next.put(r.tenant() + "/" + r.app(), Math.max(0, r.ready()));
        }
        Map<String, Integer> before = readyByCluster.put(cluster, next);
        Map<String, Integer> old = before == null ? Map.of() : before;
        for (Map.Entry<String, Integer> e : next.entrySet()) {
            if (!e.getValue().equals(old.getOrDefault(e.getKey(), 0))) {
                tell(e.getKey());
            }
        }
        for (Map.Entry<String, Integer> e : old.entrySet()) {
            if (!next.containsKey(e.getKey()) && e.getValue() != 0) {
                tell(e.getKey());
            }
        }
    }

    public void forget(String tenant, String app) {
        String key = tenant + "/" + app;
        for (Map<String, Integer> m : readyByCluster.values()) {
            m.remove(key);
        }
    }

    public void clear() {
        readyByCluster.clear();
    }

    private void tell(String key) {
        int slash = key.indexOf('/');
        events.publishEvent(
                new WorkloadReadyChanged(key.substring(0, slash), key.substring(slash + 1)));
    }
}
