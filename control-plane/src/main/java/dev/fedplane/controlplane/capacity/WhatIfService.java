package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.app.AppValidator;
import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantStore;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What-if questions for capacity planners, answered by {@link PlacementPreview} (the reconciler's
 * placement code on a copy of the live state); nothing is written.
 *
 * <p>Access: scaling or creating apps is open to platform-admins and to any role of the apps'
 * tenant (the answer shows only those apps, as {@code ExplainApp} does; a tenant-viewer may ask
 * because nothing changes); losing clusters shows every tenant's apps and needs platform-admin.
 *
 * <p>IDC vs cloud follows the burst rules: a cluster is cloud when its label {@code tier} is {@code
 * cloud}, IDC otherwise. Cloud cost per hour: over cloud clusters, replicas x CPU cores per replica
 * x the cluster's {@code costPerCpuHour}. Thread-safe.
 */
@Singleton
public class WhatIfService {
    /** An existing app at a new replica count. */
    public record Scale(String tenant, String name, int replicas) {}

    /** A new app. */
    public record Create(String tenant, String name, App.Spec spec) {}

    public record Share(String cluster, boolean cloud, int before, int after) {}

    public record AppOutcome(
            String tenant,
            String name,
            int replicasBefore,
            int replicas,
            boolean newApp,
            List<Share> shares,
            int unschedulable,
            String unschedulableReason,
            int unschedulableBefore,
            int idcReplicas,
            int cloudReplicas,
            double cloudCostPerHour,
            double cloudCostPerHourBefore,
            int lostReplicas,
            String quotaExceeded) {
        public boolean fits() {
            return unschedulable == 0 && quotaExceeded.isEmpty();
        }
    }

    public record Summary(
            boolean fits,
            int apps,
            int idcReplicas,
            int cloudReplicas,
            double cloudCostPerHour,
            double cloudCostPerHourBefore,
            int unschedulable,
            int lostReplicas,
            int startedReplicas) {}

    /**
     * One cluster the change touches (a share moved in or out, or it is lost): what is requested
     * there now and after the change. After = now + what the changed apps' new shares request -
     * what their old shares requested (per replica CPU and memory, one pod each); the rest of the
     * cluster's load (other apps, unmanaged pods) is taken as it is.
     */
    public record ClusterLevel(
            String cluster,
            boolean cloud,
            boolean lost,
            Quantities allocatable,
            Quantities requestedBefore,
            Quantities requestedAfter) {}

    public record Answer(
            Summary summary,
            List<AppOutcome> apps,
            List<String> lostClusters,
            List<ClusterLevel> clusters) {}

    private final PlacementPreview preview;
    private final AppStore apps;
    private final TenantStore tenants;
    private final ClusterStore clusters;

    public WhatIfService(
            PlacementPreview preview, AppStore apps, TenantStore tenants, ClusterStore clusters) {
        this.preview = preview;
        this.apps = apps;
        this.tenants = tenants;
        this.clusters = clusters;
    }

    /** Scales of existing apps, then new apps, in the order given. */
    public Answer apps(Principal caller, List<Scale> scales, List<Create> creates) {
        Violations v = new Violations();
        if (scales.isEmpty() && creates.isEmpty()) {
            v.add("scales", "give at least one scale or create");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scales.size(); i++) {
            Scale s = scales.get(i);
            String f = "scales[" + i + "]";
            v.requireDns1123Label(f + ".tenant", s.tenant());
            v.requireDns1123Label(f + ".name", s.name());
            AppValidator.validateReplicas(s.replicas(), f + ".replicas", v);
            if (!seen.add(s.tenant() + "/" + s.name())) {
                v.add(f, "app " + s.tenant() + "/" + s.name() + " is given more than once");
            }
        }
        for (int i = 0; i < creates.size(); i++) {
            Create c = creates.get(i);
            String f = "creates[" + i + "]";
            AppValidator.validateNames(c.tenant(), c.name(), f, v);
            AppValidator.validateSpec(c.spec(), f + ".spec", v);
            if (!seen.add(c.tenant() + "/" + c.name())) {
                v.add(f, "app " + c.tenant() + "/" + c.name() + " is given more than once");
            }
        }
        v.throwIfAny();
        List<PlacementPreview.AppChange> changes = new ArrayList<>();
        Map<String, Tenant> tenantsByName = new HashMap<>();
        for (Scale s : scales) {
            Access.requireRead(caller, s.tenant());
            AppStore.Stored stored =
                    apps.find(s.tenant(), s.name())
                            .orElseThrow(
                                    () ->
                                            FedplaneException.notFound(
                                                    "app", s.tenant() + "/" + s.name()));
            changes.add(
                    new PlacementPreview.AppChange(
                            s.tenant(),
                            s.name(),
                            stored.app().spec().withReplicas(s.replicas()),
                            false));
        }
        for (Create c : creates) {
            Access.requireRead(caller, c.tenant());
            if (!tenantsByName.containsKey(c.tenant())) {
                tenantsByName.put(
                        c.tenant(),
                        tenants.find(c.tenant())
                                .orElseThrow(
                                        () -> FedplaneException.notFound("tenant", c.tenant())));
            }
            if (apps.exists(c.tenant(), c.name())) {
                throw FedplaneException.alreadyExists("app", c.tenant() + "/" + c.name());
            }
            changes.add(new PlacementPreview.AppChange(c.tenant(), c.name(), c.spec(), true));
        }
        PlacementPreview.Result r = preview.preview(changes, Set.of());
        Map<String, String> quota = quotaVerdicts(changes);
        List<AppOutcome> outcomes = new ArrayList<>();
        for (PlacementPreview.Outcome o : r.outcomes()) {
            outcomes.add(
                    outcome(o, r.clusters(), Set.of(), quota.getOrDefault(o.key().toString(), "")));
        }
        return answer(outcomes, List.of(), levels(r, Set.of()));
    }

    /** Losing {@code names} and every cluster whose label {@code idc} is {@code idc}. */
    public Answer clusterLoss(Principal caller, List<String> names, String idc) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        if (names.isEmpty() && (idc == null || idc.isEmpty())) {
            v.add("clusters", "name at least one cluster, or an idc");
        }
        for (int i = 0; i < names.size(); i++) {
            v.requireDns1123Label("clusters[" + i + "]", names.get(i));
        }
        if (idc != null
                && !idc.isEmpty()
                && (idc.length() > 63
                        || !idc.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"))) {
            v.add("idc", "must be a label value, got \"" + idc + "\"");
        }
        v.throwIfAny();
        Map<String, Cluster> all = new TreeMap<>();
        for (Cluster c : clusters.all()) {
            all.put(c.name(), c);
        }
        Set<String> lost = new TreeSet<>();
        for (String n : names) {
            if (!all.containsKey(n)) {
                throw FedplaneException.notFound("cluster", n);
            }
            lost.add(n);
        }
        if (idc != null && !idc.isEmpty()) {
            boolean any = false;
            for (Cluster c : all.values()) {
                if (idc.equals(c.labels().get("idc"))) {
                    lost.add(c.name());
                    any = true;
                }
            }
            if (!any) {
                throw FedplaneException.notFound("idc", idc);
            }
        }
        PlacementPreview.Result r = preview.preview(List.of(), lost);
        List<AppOutcome> outcomes = new ArrayList<>();
        for (PlacementPreview.Outcome o : r.outcomes()) {
            boolean hadLost = o.sharesBefore().keySet().stream().anyMatch(lost::contains);
            if (hadLost
                    || !o.sharesBefore().equals(o.sharesAfter())
                    || o.unschedulable() != o.unschedulableBefore()) {
                outcomes.add(outcome(o, r.clusters(), lost, ""));
            }
        }
        return answer(outcomes, List.copyOf(lost), levels(r, lost));
    }

    /** The clusters whose requested resources the preview changes, and the lost ones, by name. */
    static List<ClusterLevel> levels(PlacementPreview.Result r, Set<String> lost) {
        Map<String, long[]> delta = new TreeMap<>();
        for (PlacementPreview.Outcome o : r.outcomes()) {
            App.Spec after = o.after().spec();
            App.Spec before = o.before() == null ? after : o.before().spec();
            for (Map.Entry<String, Integer> e : o.sharesBefore().entrySet()) {
                long[] d = delta.computeIfAbsent(e.getKey(), k -> new long[3]);
                d[0] -= e.getValue() * before.cpuMillis();
                d[1] -= e.getValue() * before.memoryMiB();
                d[2] -= e.getValue();
            }
            for (Map.Entry<String, Integer> e : o.sharesAfter().entrySet()) {
                long[] d = delta.computeIfAbsent(e.getKey(), k -> new long[3]);
                d[0] += e.getValue() * after.cpuMillis();
                d[1] += e.getValue() * after.memoryMiB();
                d[2] += e.getValue();
            }
        }
        for (String n : lost) {
            delta.computeIfAbsent(n, k -> new long[3]);
        }
        List<ClusterLevel> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : delta.entrySet()) {
            long[] d = e.getValue();
            boolean isLost = lost.contains(e.getKey());
            if (d[0] == 0 && d[1] == 0 && d[2] == 0 && !isLost) {
                continue;
            }
            Cluster c = r.clusters().get(e.getKey());
            if (c == null) {
                continue;
            }
            Quantities now = c.requested();
            Quantities next =
                    new Quantities(
                            Math.max(0, now.cpuMillis() + d[0]),
                            Math.max(0, now.memoryMiB() + d[1]),
                            Math.max(0, now.pods() + d[2]));
            out.add(new ClusterLevel(c.name(), isCloud(c), isLost, c.allocatable(), now, next));
        }
        return out;
    }

    /** Per changed app (by {@code tenant/name}): the quota limit the API write would hit. */
    private Map<String, String> quotaVerdicts(List<PlacementPreview.AppChange> changes) {
        Map<String, TenantDemand> demand = new HashMap<>();
        Map<String, String> verdicts = new HashMap<>();
        for (PlacementPreview.AppChange ch : changes) {
            Tenant t = tenants.find(ch.tenant()).orElse(null);
            if (t == null) {
                continue;
            }
            TenantDemand before = demand.computeIfAbsent(ch.tenant(), apps::usageOf);
            TenantDemand mine =
                    ch.create()
                            ? TenantDemand.none(ch.tenant())
                            : apps.find(ch.tenant(), ch.name())
                                    .map(s -> AppStore.demandOf(ch.tenant(), s.app().spec()))
                                    .orElse(TenantDemand.none(ch.tenant()));
            TenantDemand wanted = AppStore.demandOf(ch.tenant(), ch.spec());
            TenantDemand after =
                    new TenantDemand(
                            ch.tenant(),
                            before.replicas() - mine.replicas() + wanted.replicas(),
                            before.cpuMillis() - mine.cpuMillis() + wanted.cpuMillis(),
                            before.memoryMiB() - mine.memoryMiB() + wanted.memoryMiB());
            demand.put(ch.tenant(), after);
            List<String> over = new ArrayList<>();
            Tenant.Quota q = t.quota();
            over(over, "replicas", after.replicas(), q.replicas());
            over(over, "cpu_millis", after.cpuMillis(), q.cpuMillis());
            over(over, "memory_mib", after.memoryMiB(), q.memoryMiB());
            if (!over.isEmpty()) {
                verdicts.put(
                        ch.tenant() + "/" + ch.name(),
                        "would exceed the quota of tenant "
                                + ch.tenant()
                                + ": "
                                + String.join("; ", over));
            }
        }
        return verdicts;
    }

    private static void over(List<String> into, String field, long wanted, Long limit) {
        if (limit != null && wanted > limit) {
            into.add(field + " " + wanted + " > quota " + limit);
        }
    }

    private static AppOutcome outcome(
            PlacementPreview.Outcome o,
            Map<String, Cluster> clusters,
            Set<String> lost,
            String quotaExceeded) {
        Set<String> names = new TreeSet<>(o.sharesBefore().keySet());
        names.addAll(o.sharesAfter().keySet());
        List<Share> shares = new ArrayList<>();
        int idc = 0;
        int cloud = 0;
        int lostReplicas = 0;
        double cost = 0;
        double costBefore = 0;
        double cores = o.after().spec().cpuMillis() / 1000.0;
        double coresBefore = o.before() == null ? 0 : o.before().spec().cpuMillis() / 1000.0;
        for (String n : names) {
            Cluster c = clusters.get(n);
            boolean isCloud = c != null && isCloud(c);
            int before = o.sharesBefore().getOrDefault(n, 0);
            int after = o.sharesAfter().getOrDefault(n, 0);
            shares.add(new Share(n, isCloud, before, after));
            if (isCloud) {
                cloud += after;
                cost += after * cores * c.costPerCpuHour();
                costBefore += before * coresBefore * c.costPerCpuHour();
            } else {
                idc += after;
            }
            if (lost.contains(n)) {
                lostReplicas += before;
            }
        }
        return new AppOutcome(
                o.key().tenant(),
                o.key().name(),
                o.before() == null ? 0 : o.before().spec().replicas(),
                o.after().spec().replicas(),
                o.before() == null,
                shares,
                o.unschedulable(),
                o.unschedulableReason(),
                o.unschedulableBefore(),
                idc,
                cloud,
                cost,
                costBefore,
                lostReplicas,
                quotaExceeded);
    }

    /** A cluster is cloud when its label {@code tier} is {@code cloud} (DESIGN's burst rule). */
    static boolean isCloud(Cluster c) {
        return "cloud".equals(c.labels().get("tier"));
    }

    private static Answer answer(
            List<AppOutcome> outcomes, List<String> lost, List<ClusterLevel> levels) {
        List<AppOutcome> sorted = new ArrayList<>(outcomes);
        sorted.sort(Comparator.comparing(AppOutcome::tenant).thenComparing(AppOutcome::name));
        boolean fits = true;
        int idc = 0;
        int cloud = 0;
        int unschedulable = 0;
        int lostReplicas = 0;
        int started = 0;
        double cost = 0;
        double costBefore = 0;
        for (AppOutcome o : sorted) {
            fits &= o.fits();
            idc += o.idcReplicas();
            cloud += o.cloudReplicas();
            unschedulable += o.unschedulable();
            lostReplicas += o.lostReplicas();
            cost += o.cloudCostPerHour();
            costBefore += o.cloudCostPerHourBefore();
            for (Share s : o.shares()) {
                started += Math.max(0, s.after() - s.before());
            }
        }
        return new Answer(
                new Summary(
                        fits,
                        sorted.size(),
                        idc,
                        cloud,
                        cost,
                        costBefore,
                        unschedulable,
                        lostReplicas,
                        started),
                sorted,
                lost,
                levels);
    }
}
