package dev.fedplane.controlplane.cluster;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Version;

/** The {@code clusters} table. */
@MappedEntity("clusters")
public record ClusterRow(@Id String name, String labels, String taints, String health, boolean cordoned,
                         boolean draining, long allocCpuMillis, long allocMemoryMib, long allocPods, long reqCpuMillis,
                         long reqMemoryMib, long reqPods, double costPerCpuHour, String agentVersion,
                         String kubernetesVersion, long lastHeartbeat, @Version long resourceVersion, long createdAt,
                         long updatedAt) {
}
