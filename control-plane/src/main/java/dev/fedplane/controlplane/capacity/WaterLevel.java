package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.common.Quantities;

/** Capacity of one group of clusters: a cluster, an IDC, a region, a tier... */
public record WaterLevel(
        String key,
        int clusterCount,
        int readyCount,
        Quantities allocatable,
        Quantities requested,
        Quantities free) {}
