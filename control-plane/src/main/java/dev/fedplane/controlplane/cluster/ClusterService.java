package dev.fedplane.controlplane.cluster;

import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.PageToken;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.events.Changed;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cluster use cases for people. Reads are open to every role; writes need platform-admin. Each
 * public method is one transaction. Thread-safe.
 */
@Singleton
public class ClusterService {
    static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    static final Set<String> TIERS = Set.of("idc", "cloud");

    private final ClusterStore store;
    private final Clock clock;
    private final ApplicationEventPublisher<Changed> changes;

    public ClusterService(
            ClusterStore store, Clock clock, ApplicationEventPublisher<Changed> changes) {
        this.store = store;
        this.clock = clock;
        this.changes = changes;
    }

    private Cluster changed(Cluster c) {
        changes.publishEvent(Changed.cluster(c.name()));
        return c;
    }

    public record Page(List<Cluster> clusters, String nextPageToken) {}

    /** Adds a cluster by hand; its health starts PENDING, or READY when asked. */
    @Transactional
    public Cluster create(Principal caller, Cluster c) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        validate(c, "cluster", v);
        if (c.health() != Cluster.Health.PENDING && c.health() != Cluster.Health.READY) {
            v.add("cluster.state", "a new cluster starts PENDING or READY");
        }
        if (c.cordoned() || c.draining()) {
            v.add(
                    "cluster.cordoned",
                    "a new cluster cannot be cordoned or draining; cordon it after creating it");
        }
        v.throwIfAny();
        if (store.exists(c.name())) {
            throw FedplaneException.alreadyExists("cluster", c.name());
        }
        long now = clock.millis();
        return changed(
                store.insert(
                        new Cluster(
                                c.name(),
                                c.labels(),
                                normalise(c.taints()),
                                c.health(),
                                false,
                                false,
                                c.allocatable(),
                                c.requested(),
                                Quantities.ZERO,
                                c.costPerCpuHour(),
                                c.agentVersion(),
                                c.kubernetesVersion(),
                                0,
                                c.health() == Cluster.Health.READY ? now : 0,
                                1,
                                now,
                                now)));
    }

    @Transactional(readOnly = true)
    public Cluster get(Principal caller, String name) {
        requireName(name);
        return store.find(name).orElseThrow(() -> FedplaneException.notFound("cluster", name));
    }

    @Transactional(readOnly = true)
    public Page list(Principal caller, ClusterSelector selector, int pageSize, String pageToken) {
        int size = PageToken.pageSize(pageSize, "page_size");
        String after = PageToken.decode(pageToken, "page_token");
        Violations v = new Violations();
        selector.validate("selector", v);
        v.throwIfAny();
        List<Cluster> out = new ArrayList<>();
        String last = after;
        // Scan in pages until enough matches are found, so a selective filter still pages
        // correctly.
        while (out.size() <= size) {
            List<Cluster> batch = store.page(last, Math.max(size + 1, 256));
            for (Cluster c : batch) {
                if (selector.matches(c.name(), c.labels())) {
                    out.add(c);
                    if (out.size() > size) {
                        break;
                    }
                }
            }
            if (batch.size() < Math.max(size + 1, 256) || out.size() > size) {
                break;
            }
            last = batch.get(batch.size() - 1).name();
        }
        String next = "";
        if (out.size() > size) {
            out = out.subList(0, size);
            next = PageToken.encode(out.get(size - 1).name());
        }
        return new Page(out, next);
    }

    /** Every cluster, for placement and capacity views. */
    @Transactional(readOnly = true)
    public List<Cluster> all() {
        return store.all();
    }

    /** Replaces labels, taints, cost and capacity. */
    @Transactional
    public Cluster update(Principal caller, Cluster c) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        validate(c, "cluster", v);
        v.throwIfAny();
        Cluster current = load(c.name(), c.resourceVersion());
        return changed(
                store.updateSpec(
                        current.with(
                                c.labels(),
                                normalise(c.taints()),
                                c.costPerCpuHour(),
                                c.allocatable(),
                                c.requested(),
                                clock.millis())));
    }

    @Transactional
    public Cluster cordon(Principal caller, String name, long resourceVersion) {
        Access.requirePlatformAdmin(caller);
        requireName(name);
        Cluster current = load(name, resourceVersion);
        return changed(
                store.updateSpec(current.withMarks(true, current.draining(), clock.millis())));
    }

    /** Clears both cordon and drain. */
    @Transactional
    public Cluster uncordon(Principal caller, String name, long resourceVersion) {
        Access.requirePlatformAdmin(caller);
        requireName(name);
        Cluster current = load(name, resourceVersion);
        return changed(store.updateSpec(current.withMarks(false, false, clock.millis())));
    }

    /** Marks the cluster draining: its replicas move away, then it stays cordoned. */
    @Transactional
    public Cluster drain(Principal caller, String name, long resourceVersion) {
        Access.requirePlatformAdmin(caller);
        requireName(name);
        Cluster current = load(name, resourceVersion);
        return changed(store.updateSpec(current.withMarks(true, true, clock.millis())));
    }

    @Transactional
    public void delete(Principal caller, String name, long resourceVersion) {
        Access.requirePlatformAdmin(caller);
        requireName(name);
        load(name, resourceVersion);
        store.delete(name);
        changes.publishEvent(Changed.cluster(name));
    }

    /**
     * The cluster for a write: its row locked until the transaction ends, at {@code
     * resourceVersion} (0: any).
     */
    private Cluster load(String name, long resourceVersion) {
        Cluster current =
                store.lock(name).orElseThrow(() -> FedplaneException.notFound("cluster", name));
        if (resourceVersion != 0 && resourceVersion != current.resourceVersion()) {
            throw FedplaneException.staleVersion(
                    "cluster", name, resourceVersion, current.resourceVersion());
        }
        return current;
    }

    static void validate(Cluster c, String f, Violations v) {
        validate(c, f + ".", "name", v);
    }

    /**
     * Checks a cluster's fields; {@code prefix} is prepended to each field path ("cluster." for the
     * platform API, "" for an agent's registration) and {@code nameField} names the name field.
     */
    public static void validate(Cluster c, String prefix, String nameField, Violations v) {
        String f = prefix;
        v.requireDns1123Label(f + nameField, c.name());
        v.checkLabels(f + "labels", c.labels());
        String tier = c.labels().get("tier");
        if (tier != null && !TIERS.contains(tier)) {
            v.add(f + "labels[tier]", "must be idc or cloud, got \"" + tier + "\"");
        }
        for (int i = 0; i < c.taints().size(); i++) {
            Cluster.Taint t = c.taints().get(i);
            String p = f + "taints[" + i + "]";
            if (!Violations.isLabelKey(t.key())) {
                v.add(p + ".key", "is not a valid taint key");
            }
            if (t.effect() != null && !t.effect().isEmpty() && !EFFECTS.contains(t.effect())) {
                v.add(
                        p + ".effect",
                        "must be NoSchedule, PreferNoSchedule or NoExecute, got \""
                                + t.effect()
                                + "\"");
            }
        }
        if (Double.isNaN(c.costPerCpuHour())
                || Double.isInfinite(c.costPerCpuHour())
                || c.costPerCpuHour() < 0) {
            v.add(f + "cost_per_cpu_hour", "must be a non-negative number");
        }
        quantities(f + "capacity.allocatable", c.allocatable(), v);
        quantities(f + "capacity.requested", c.requested(), v);
        if (c.agentVersion().length() > 128) {
            v.add(f + "agent_version", "must be at most 128 characters");
        }
        if (c.kubernetesVersion().length() > 128) {
            v.add(f + "kubernetes_version", "must be at most 128 characters");
        }
    }

    private static void quantities(String f, Quantities q, Violations v) {
        v.requireNonNegative(f + ".cpu_millis", q.cpuMillis());
        v.requireNonNegative(f + ".memory_mib", q.memoryMiB());
        v.requireNonNegative(f + ".pods", q.pods());
    }

    public static List<Cluster.Taint> normalise(List<Cluster.Taint> taints) {
        return taints.stream()
                .map(
                        t ->
                                new Cluster.Taint(
                                        t.key(),
                                        t.value() == null ? "" : t.value(),
                                        t.effect() == null || t.effect().isEmpty()
                                                ? "NoSchedule"
                                                : t.effect()))
                .toList();
    }

    private static void requireName(String name) {
        Violations v = new Violations();
        v.requireDns1123Label("name", name);
        v.throwIfAny();
    }
}
