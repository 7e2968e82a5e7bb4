package dev.fedplane.controlplane.console;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.cluster.ClusterService;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Read-only views the platform API has no call for. Thread-safe. */
@Singleton
public class ConsoleQueries {
    private static final int PAGE = 500;

    /** One app's replicas in one cluster. */
    public record AppOnCluster(
            String tenant, String name, int desired, int ready, long cpuMillis, long memoryMiB) {}

    private final AppStore apps;
    private final ClusterService clusters;

    public ConsoleQueries(AppStore apps, ClusterService clusters) {
        this.apps = apps;
        this.clusters = clusters;
    }

    /**
     * The apps with replicas desired or ready in {@code cluster} that the caller may read, sorted
     * by tenant then name; NOT_FOUND when the cluster does not exist. Scans the apps in pages (the
     * caller's tenant only, for tenant roles).
     */
    @Transactional(readOnly = true)
    public List<AppOnCluster> appsOn(Principal caller, String cluster) {
        clusters.get(caller, cluster);
        List<AppOnCluster> out = new ArrayList<>();
        String afterTenant = caller.isPlatformAdmin() ? "" : caller.tenant();
        String afterName = "";
        while (true) {
            List<App> page =
                    caller.isPlatformAdmin()
                            ? apps.pageAll(afterTenant, afterName, PAGE)
                            : apps.pageOfTenant(caller.tenant(), afterName, PAGE);
            for (App a : page) {
                for (App.ClusterReplicas cr : a.status().clusters()) {
                    if (cr.cluster().equals(cluster) && (cr.desired() > 0 || cr.ready() > 0)) {
                        out.add(
                                new AppOnCluster(
                                        a.tenant(),
                                        a.name(),
                                        cr.desired(),
                                        cr.ready(),
                                        a.spec().cpuMillis(),
                                        a.spec().memoryMiB()));
                    }
                }
            }
            if (page.size() < PAGE) {
                return out;
            }
            App last = page.get(page.size() - 1);
            afterTenant = last.tenant();
            afterName = last.name();
        }
    }
}
