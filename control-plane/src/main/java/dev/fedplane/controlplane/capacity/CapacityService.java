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

    public record Levels(List<WaterLevel> levels, WaterLevel total) {}

    private final ClusterStore clusters;
    private final TenantStore tenants;
    private final AppStore apps;

    public CapacityService(ClusterStore clusters, TenantStore tenants, AppStore apps) {
        this.clusters = clusters;
        this.tenants = tenants;
        this.apps = apps;
    }

    @Transactional(readOnly = true)
    public Levels waterLevels(Principal caller, GroupBy groupBy, ClusterSelector selector) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        selector.validate("selector", v);
        v.throwIfAny();
        Function<Cluster, String> key =
                groupBy.label == null
                        ? Cluster::name
                        : c -> c.labels().getOrDefault(groupBy.label, "");
        Map<String, List<Cluster>> groups = new TreeMap<>();
        List<Cluster> selected = new ArrayList<>();
        for (Cluster c : clusters.all()) {
            if (selector.matches(c.name(), c.labels())) {
                groups.computeIfAbsent(key.apply(c), k -> new ArrayList<>()).add(c);
                selected.add(c);
            }
        }
        List<WaterLevel> levels = new ArrayList<>();
        groups.forEach((k, cs) -> levels.add(level(k, cs)));
        return new Levels(levels, level("", selected));
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
        List<TenantUsage.ClusterUsage> out = new ArrayList<>();
        perCluster.forEach(
                (c, acc) ->
                        out.add(
                                new TenantUsage.ClusterUsage(
                                        c, acc[0], new Quantities(acc[1], acc[2], acc[0]))));
        return new TenantUsage(
                tenant,
                new Quantities(used.cpuMillis(), used.memoryMiB(), used.replicas()),
                used.replicas(),
                t.quota(),
                out);
    }

    private static WaterLevel level(String key, List<Cluster> cs) {
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
        return new WaterLevel(key, cs.size(), ready, alloc, req, free);
    }
}
