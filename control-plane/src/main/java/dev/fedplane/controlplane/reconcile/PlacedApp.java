package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.placement.DesiredState;
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
        String unschedulableReason) {

    public PlacedApp {
        shares = Map.copyOf(shares);
        unschedulableReason = unschedulableReason == null ? "" : unschedulableReason;
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
        App.Spec s = app.spec();
        return new DesiredState.Workload(
                app.tenant(),
                app.name(),
                app.generation(),
                s.image(),
                replicas,
                s.cpuMillis(),
                s.memoryMiB(),
                s.ports(),
                s.env(),
                null,
                null);
    }
}
