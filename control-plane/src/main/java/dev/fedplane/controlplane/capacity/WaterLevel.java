package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.common.Quantities;
import java.util.List;

/**
 * Capacity of one group of clusters: a cluster, an IDC, a region, a tier... {@code resources}:
 * requested of allocatable for cpu, memory and pods (in that order) with their levels; {@code
 * level}: the worst of them.
 */
public record WaterLevel(
        String key,
        int clusterCount,
        int readyCount,
        Quantities allocatable,
        Quantities requested,
        Quantities free,
        List<ResourceLevel> resources,
        ResourceLevel.Level level) {
    public WaterLevel {
        resources = List.copyOf(resources);
    }
}
