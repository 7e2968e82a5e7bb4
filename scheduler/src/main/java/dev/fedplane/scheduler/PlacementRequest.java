package dev.fedplane.scheduler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one placement depends on. {@code currentPlacement} non-null means "the same policy as
 * before" and turns on the stability rules (the caller clears it when the policy changes); {@code
 * tenantQuota} null means no quota; {@code tenantAllowedClusters} null means every cluster. The
 * snapshot may be shared by many requests (and threads).
 */
public record PlacementRequest(
        AppSpec app,
        ClusterSnapshot clusters,
        Map<String, Integer> currentPlacement,
        TenantUsage tenantUsage,
        TenantQuota tenantQuota,
        ClusterSelector tenantAllowedClusters) {

    public PlacementRequest {
        if (app == null || clusters == null) {
            throw new IllegalArgumentException("a placement request needs an app and clusters");
        }
        // An unmodifiable copy in the caller's order (Map.copyOf would scramble it): a placement
        // listed in name order, as the scheduler and the control plane list them, is then looked
        // up in snapshot order without hash probes (see ClusterSnapshot#indexOf(String, int)).
        if (currentPlacement != null) {
            Map<String, Integer> copy = new LinkedHashMap<>();
            currentPlacement.forEach(
                    (cluster, replicas) ->
                            copy.put(
                                    Objects.requireNonNull(cluster, "current placement cluster"),
                                    Objects.requireNonNull(
                                            replicas, "current placement replicas")));
            currentPlacement = Collections.unmodifiableMap(copy);
        }
        tenantUsage = tenantUsage == null ? TenantUsage.NONE : tenantUsage;
    }

    public static PlacementRequest of(AppSpec app, ClusterSnapshot clusters) {
        return new PlacementRequest(app, clusters, null, null, null, null);
    }

    public static PlacementRequest of(AppSpec app, List<ClusterInfo> clusters) {
        return of(app, ClusterSnapshot.of(clusters));
    }

    public PlacementRequest withCurrentPlacement(Map<String, Integer> value) {
        return new PlacementRequest(
                app, clusters, value, tenantUsage, tenantQuota, tenantAllowedClusters);
    }

    public PlacementRequest withTenantUsage(TenantUsage value) {
        return new PlacementRequest(
                app, clusters, currentPlacement, value, tenantQuota, tenantAllowedClusters);
    }

    public PlacementRequest withTenantQuota(TenantQuota value) {
        return new PlacementRequest(
                app, clusters, currentPlacement, tenantUsage, value, tenantAllowedClusters);
    }

    public PlacementRequest withTenantAllowedClusters(ClusterSelector value) {
        return new PlacementRequest(
                app, clusters, currentPlacement, tenantUsage, tenantQuota, value);
    }

    public PlacementRequest withApp(AppSpec value) {
        return new PlacementRequest(
                value, clusters, currentPlacement, tenantUsage, tenantQuota, tenantAllowedClusters);
    }
}
