package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Read-only capacity views for planners. Thread-safe. */
@Singleton
public class CapacityService {
    /** How clusters are grouped; a label grouping uses that label's value ("" when missing). */
    public enum GroupBy {
        CLUSTER(null),
        IDC("idc"),
        REGION("region"),
        TIER("tier"),
        PROVIDER("provider"),
        ZONE("zone");

        final String label;

        GroupBy(String label) {
            this.label = label;
        }
    }

    /**
     * Water levels by group (sorted by key), their total, and with {@code includeTenants} every
     * tenant's usage (sorted by name; per-cluster figures only for the selected clusters).
     */
    public record Levels(List<WaterLevel> levels, WaterLevel total, List<TenantUsage> tenants) {}

    private final ClusterStore clusters;
    private final TenantStore tenants;
    private final AppStore apps;
    private final CapacityThresholds thresholds;

    public CapacityService(
            ClusterStore clusters,
            TenantStore tenants,
            AppStore apps,
            CapacityThresholds thresholds) {
        this.clusters = clusters;
        this.tenants = tenants;
        this.apps = apps;
        this.thresholds = thresholds;
    }

    public CapacityThresholds thresholds() {
        return thresholds;
    }

    @Transactional(readOnly = true)
    public Levels waterLevels(
            Principal caller, GroupBy groupBy, ClusterSelector selector, boolean includeTenants) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        selector.validate("selector", v);
        v.throwIfAny();
        Levels levels = levelsOf(clusters.all(), groupBy, selector);
        if (!includeTenants) {
            return levels;
        }
        java.util.Set<String> selected = new java.util.HashSet<>();
        for (Cluster c : clusters.all()) {
            if (selector.matches(c.name(), c.labels())) {
                selected.add(c.name());
            }
        }
        List<TenantUsage> usages = new ArrayList<>();
        String after = "";
        while (true) {
            List<Tenant> page = tenants.page(after, 500);
            for (Tenant t : page) {
                TenantUsage u = usageOf(t);
                usages.add(
                        new TenantUsage(
                                u.tenant(),
                                u.requested(),
                                u.replicas(),
                                u.quota(),
                                u.clusters().stream()
                                        .filter(c -> selected.contains(c.cluster()))
                                        .toList(),
                                u.levels()));
            }
            if (page.size() < 500) {
                break;
            }
            after = page.get(page.size() - 1).name();
        }
        return new Levels(levels.levels(), levels.total(), usages);
    }

    /**
     * Every cluster's level by every grouping, from one read of the clusters, without access checks
     * (for metrics).
     */
    @Transactional(readOnly = true)
    public Map<GroupBy, Levels> levelsForMetrics() {
        List<Cluster> all = clusters.all();
        Map<GroupBy, Levels> out = new java.util.EnumMap<>(GroupBy.class);
        for (GroupBy g : GroupBy.values()) {
            out.put(g, levelsOf(all, g, ClusterSelector.ALL));
        }
        return out;
    }

    private Levels levelsOf(List<Cluster> all, GroupBy groupBy, ClusterSelector selector) {
        Function<Cluster, String> key =
                groupBy.label == null
                        ? Cluster::name
                        : c -> c.labels().getOrDefault(groupBy.label, "");
        Map<String, List<Cluster>> groups = new TreeMap<>();
        List<Cluster> selected = new ArrayList<>();
        for (Cluster c : all) {
            if (selector.matches(c.name(), c.labels())) {
                groups.computeIfAbsent(key.apply(c), k -> new ArrayList<>()).add(c);
                selected.add(c);
            }
        }
        List<WaterLevel> levels = new ArrayList<>();
        groups.forEach((k, cs) -> levels.add(level(k, cs)));
        return new Levels(levels, level("", selected), List.of());
    }

    @Transactional(readOnly = true)
    public TenantUsage tenantUsage(Principal caller, String tenant) {
        Violations v = new Violations();
        v.requireDns1123Label("tenant", tenant);
        v.throwIfAny();
        Access.requireRead(caller, tenant);
        Tenant t =
                tenants.find(tenant)
                        .orElseThrow(() -> FedplaneException.notFound("tenant", tenant));
        return usageOf(t);
    }

    private TenantUsage usageOf(Tenant t) {
        String tenant = t.name();
        TenantDemand used = apps.usageOf(tenant);
        Map<String, long[]> perCluster = new TreeMap<>();
        String after = "";
        while (true) {
            List<App> page = apps.pageOfTenant(tenant, after, 500);
            for (App a : page) {
                for (App.ClusterReplicas cr : a.status().clusters()) {
                    long[] acc = perCluster.computeIfAbsent(cr.cluster(), c -> new long[3]);
                    acc[0] += cr.desired();
                    acc[1] += cr.desired() * a.spec().cpuMillis();
                    acc[2] += cr.desired() * a.spec().memoryMiB();
                }
            }
            if (page.size() < 500) {
                break;
            }
            after = page.get(page.size() - 1).name();
        }
        Map<String, Tenant.ClusterQuota> caps = new TreeMap<>();
        t.quota().perCluster().forEach(q -> caps.put(q.cluster(), q));
        List<TenantUsage.ClusterUsage> out = new ArrayList<>();
        perCluster.forEach(
                (c, acc) -> {
                    Tenant.ClusterQuota cap = caps.get(c);
                    List<ResourceLevel> levels = new ArrayList<>();
                    if (cap != null) {
                        quotaLevels(levels, cap.cpuMillis(), cap.memoryMiB(), cap.replicas(), acc);
                    }
                    out.add(
                            new TenantUsage.ClusterUsage(
                                    c,
                                    acc[0],
                                    new Quantities(acc[1], acc[2], acc[0]),
                                    cap,
                                    levels));
                });
        List<ResourceLevel> levels = new ArrayList<>();
        Tenant.Quota q = t.quota();
        quotaLevels(
                levels,
                q.cpuMillis(),
                q.memoryMiB(),
                q.replicas(),
                new long[] {used.replicas(), used.cpuMillis(), used.memoryMiB()});
        return new TenantUsage(
                tenant,
                new Quantities(used.cpuMillis(), used.memoryMiB(), used.replicas()),
                used.replicas(),
                t.quota(),
                out,
                levels);
    }

    /** Levels of {@code used} = {replicas, cpu, memory} against each limit that is set. */
    private void quotaLevels(
            List<ResourceLevel> into, Long cpu, Long memory, Long replicas, long[] used) {
        if (cpu != null) {
            into.add(thresholds.level("cpu", used[1], cpu));
        }
        if (memory != null) {
            into.add(thresholds.level("memory", used[2], memory));
        }
        if (replicas != null) {
            into.add(thresholds.level("replicas", used[0], replicas));
        }
    }

    private WaterLevel level(String key, List<Cluster> cs) {
        Quantities alloc = Quantities.ZERO;
        Quantities req = Quantities.ZERO;
        Quantities free = Quantities.ZERO;
        int ready = 0;
        for (Cluster c : cs) {
            alloc = alloc.plus(c.allocatable());
            req = req.plus(c.requested());
            free = free.plus(c.free());
            if (c.state() == Cluster.State.READY) {
                ready++;
            }
        }
        List<ResourceLevel> resources = thresholds.levels(req, alloc);
        return new WaterLevel(
                key,
                cs.size(),
                ready,
                alloc,
                req,
                free,
                resources,
                CapacityThresholds.worst(resources));
    }
}
