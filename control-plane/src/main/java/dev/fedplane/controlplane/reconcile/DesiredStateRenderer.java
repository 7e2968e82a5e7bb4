package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.app.Overrides;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Each cluster's desired state from the {@link PlacementLedger}: its workloads, and for every
 * tenant with replicas there a namespace with the tenant's labels, a ResourceQuota of what its
 * replicas there request plus the headroom (rounded up) and no higher than the tenant's per-cluster
 * cap, and the tenant's network rules with only the cross-tenant allows both tenants agreed on
 * ({@link NetworkAgreement}). Each workload carries the app's overrides for that cluster. Pure;
 * thread-safe.
 */
public final class DesiredStateRenderer {
    private final long quotaHeadroomPercent;

    public DesiredStateRenderer(long quotaHeadroomPercent) {
        if (quotaHeadroomPercent < 0) {
            throw new IllegalArgumentException(
                    "quota headroom must not be negative: " + quotaHeadroomPercent);
        }
        this.quotaHeadroomPercent = quotaHeadroomPercent;
    }

    /**
     * {@code cluster}'s desired state. {@code tenants} finds a tenant by name as of this pass
     * (null: gone), for peers of cross-tenant rules; the tenant of a placed app is the one it was
     * placed with.
     */
    public DesiredState render(
            String cluster, PlacementLedger ledger, Function<String, Tenant> tenants) {
        return render(cluster, Map.of(), ledger, tenants);
    }

    /**
     * As above for a cluster labelled {@code clusterLabels}: each workload is the app's effective
     * spec there, its overrides applied ({@link Overrides}), and the tenant's ResourceQuota counts
     * the effective requests.
     */
    public DesiredState render(
            String cluster,
            Map<String, String> clusterLabels,
            PlacementLedger ledger,
            Function<String, Tenant> tenants) {
        TreeMap<String, DesiredState.Workload> workloads = ledger.workloadsOn(cluster);
        Map<String, Quantities> share = new TreeMap<>();
        Map<String, Tenant> owners = new TreeMap<>();
        for (Map.Entry<String, DesiredState.Workload> e : workloads.entrySet()) {
            DesiredState.Workload w = e.getValue();
            PlacedApp p = ledger.get(new AppKey(w.tenant(), w.app()));
            if (p != null && !p.app().spec().overrides().isEmpty()) {
                // On top of the template this workload runs, with the app's current overrides.
                w =
                        w.with(
                                Overrides.resolve(
                                        w.image(),
                                        w.cpuMillis(),
                                        w.memoryMiB(),
                                        w.env(),
                                        p.app().spec().overrides(),
                                        cluster,
                                        clusterLabels));
                e.setValue(w);
            }
            share.merge(
                    w.tenant(),
                    new Quantities(w.cpuMillis(), w.memoryMiB(), 1).times(w.replicas()),
                    Quantities::plus);
            if (p != null) {
                owners.putIfAbsent(w.tenant(), p.tenant());
            }
        }
        TreeMap<String, DesiredState.Namespace> namespaces = new TreeMap<>();
        for (Map.Entry<String, Quantities> e : share.entrySet()) {
            Tenant t = owners.get(e.getKey());
            namespaces.put(
                    e.getKey(),
                    new DesiredState.Namespace(
                            e.getKey(),
                            t == null ? Map.of() : t.labels(),
                            capped(withHeadroom(e.getValue()), t, cluster),
                            t == null
                                    ? Tenant.NetworkRules.NONE
                                    : NetworkAgreement.effective(t, tenants)));
        }
        return new DesiredState(namespaces, workloads);
    }

    /** {@code q} no higher than the tenant's per-cluster cap there, where it has one. */
    static Quantities capped(Quantities q, Tenant t, String cluster) {
        if (t == null) {
            return q;
        }
        for (Tenant.ClusterQuota cap : t.quota().perCluster()) {
            if (cap.cluster().equals(cluster)) {
                q =
                        new Quantities(
                                cap.cpuMillis() == null
                                        ? q.cpuMillis()
                                        : Math.min(q.cpuMillis(), cap.cpuMillis()),
                                cap.memoryMiB() == null
                                        ? q.memoryMiB()
                                        : Math.min(q.memoryMiB(), cap.memoryMiB()),
                                cap.replicas() == null
                                        ? q.pods()
                                        : Math.min(q.pods(), cap.replicas()));
            }
        }
        return q;
    }

    /** Each quantity raised by the headroom percentage, rounded up. */
    Quantities withHeadroom(Quantities q) {
        return new Quantities(up(q.cpuMillis()), up(q.memoryMiB()), up(q.pods()));
    }

    private long up(long v) {
        return v + (v * quotaHeadroomPercent + 99) / 100;
    }
}
