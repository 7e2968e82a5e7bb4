package dev.fedplane.scheduler;

import java.util.List;
import java.util.Map;

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
        currentPlacement = currentPlacement == null ? null : Map.copyOf(currentPlacement);
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
