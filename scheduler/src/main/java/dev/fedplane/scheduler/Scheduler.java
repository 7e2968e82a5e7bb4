package dev.fedplane.scheduler;

import java.util.List;
import java.util.Map;

/**
 * The placement engine: {@code place(app, clusters, currentPlacement, tenantUsage) -> Placement}.
 *
 * <p>A pure function: no I/O, no clock, no randomness; the same request gives the same placement,
 * byte for byte once rendered. Thread-safe: a single instance may be called concurrently (the
 * reconciler and API handlers share one). For many apps over the same clusters (a resync), build
 * one {@link ClusterSnapshot} and pass it in every {@link PlacementRequest}.
 *
 * <p>The pipeline and its order are in {@link SchedulingPipeline}; the module README defines the
 * words (fit, cap, weight, share, target, deficit, excess, group).
 */
public final class Scheduler {

    private final SchedulingPipeline pipeline = new SchedulingPipeline();

    /** Places one app. */
    public Placement place(PlacementRequest request) {
        return pipeline.place(request);
    }

    /**
     * DESIGN's signature. {@code currentPlacement} null means a fresh placement (no stability);
     * {@code tenantUsage} changes nothing without a quota (use {@link #place(PlacementRequest)} to
     * give a {@link TenantQuota}).
     */
    public Placement place(
            AppSpec app,
            List<ClusterInfo> clusters,
            Map<String, Integer> currentPlacement,
            TenantUsage tenantUsage) {
        return place(
                new PlacementRequest(
                        app,
                        ClusterSnapshot.of(clusters),
                        currentPlacement,
                        tenantUsage,
                        null,
                        null));
    }
}
