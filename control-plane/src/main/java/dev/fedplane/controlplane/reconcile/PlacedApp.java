package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.PodTemplate;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.rollout.RevisionPlan;
import dev.fedplane.controlplane.tenant.Tenant;
import java.util.Map;

/**
 * What the reconciler last decided for one app: its row id, the app as placed, replicas per cluster
 * (pinned ones included), what one replica requests, its tenant as of the decision, and what could
 * not be placed. Immutable.
 */
public record PlacedApp(
        long id,
        App app,
        Map<String, Integer> shares,
        Quantities perReplica,
        Tenant tenant,
        int unschedulable,
        String unschedulableReason,
        RevisionPlan plan) {

    public PlacedApp {
        shares = Map.copyOf(shares);
        unschedulableReason = unschedulableReason == null ? "" : unschedulableReason;
    }

    /** A decision without a revision plan (every cluster gets the spec's template, revision 0). */
    public PlacedApp(
            long id,
            App app,
            Map<String, Integer> shares,
            Quantities perReplica,
            Tenant tenant,
            int unschedulable,
            String unschedulableReason) {
        this(id, app, shares, perReplica, tenant, unschedulable, unschedulableReason, null);
    }

    /** This decision with {@code p} deciding which revision each cluster runs. */
    public PlacedApp withPlan(RevisionPlan p) {
        return new PlacedApp(
                id, app, shares, perReplica, tenant, unschedulable, unschedulableReason, p);
    }

    public AppKey key() {
        return AppKey.of(app);
    }

    /** What one replica of {@code a} requests (one pod). */
    public static Quantities perReplica(App a) {
        return new Quantities(a.spec().cpuMillis(), a.spec().memoryMiB(), 1);
    }

    /** What the app's placed replicas request in all (a DUPLICATED app's copies all count). */
    public Quantities placedTotal() {
        int n = shares.values().stream().mapToInt(Integer::intValue).sum();
        return perReplica.times(n);
    }

    /**
     * The app's workload in a cluster where it runs {@code replicas}, without overrides (the
     * renderer applies them per cluster).
     */
    public DesiredState.Workload workload(int replicas) {
        return workload(null, replicas);
    }

    /**
     * The app's workload in {@code cluster} where it runs {@code replicas}: the template of the
     * revision its {@link RevisionPlan} says the cluster runs (the spec's without a plan).
     */
    public DesiredState.Workload workload(String cluster, int replicas) {
        PodTemplate t = PodTemplate.of(app.spec());
        long revision = 0;
        int surge = 0;
        int unavailable = 0;
        if (plan != null) {
            if (cluster != null && plan.runsFrom(cluster)) {
                t = plan.fromTemplate();
            }
            revision = cluster == null ? plan.revision() : plan.revisionOn(cluster);
            surge = plan.maxSurge();
            unavailable = plan.maxUnavailable();
        }
        return new DesiredState.Workload(
                app.tenant(),
                app.name(),
                app.generation(),
                t.image(),
                replicas,
                t.cpuMillis(),
                t.memoryMiB(),
                t.ports(),
                t.env(),
                revision,
                surge,
                unavailable,
                null,
                null);
    }
}
