package dev.fedplane.controlplane.cluster;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Version;

/**
 * The {@code clusters} table. The credential hash is deliberately not a property: only {@link
 * ClusterRepository}'s credential queries read or write it.
 */
@MappedEntity("clusters")
public record ClusterRow(
        @Id String name,
        String labels,
        String taints,
        String health,
        boolean cordoned,
        boolean draining,
        long allocCpuMillis,
        long allocMemoryMib,
        long allocPods,
        long reqCpuMillis,
        long reqMemoryMib,
        long reqPods,
        long managedCpuMillis,
        long managedMemoryMib,
        long managedPods,
        double costPerCpuHour,
        String agentVersion,
        String kubernetesVersion,
        long lastHeartbeat,
        long readySince,
        @Version long resourceVersion,
        long createdAt,
        long updatedAt) {}
