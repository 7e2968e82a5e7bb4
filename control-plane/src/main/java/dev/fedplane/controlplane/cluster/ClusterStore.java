package dev.fedplane.controlplane.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.ResourceVersions;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps clusters to and from their rows. Callers own the transaction. */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class ClusterStore {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };
    private static final TypeReference<List<Cluster.Taint>> TAINTS = new TypeReference<>() { };

    private final ClusterRepository repository;

    public ClusterStore(ClusterRepository repository) {
        this.repository = repository;
    }

    public Optional<Cluster> find(String name) {
        return repository.findById(name).map(ClusterStore::toDomain);
    }

    public boolean exists(String name) {
        return repository.existsById(name);
    }

    public Cluster insert(Cluster c) {
        return withVersion(c, repository.save(toRow(c)));
    }

    /** Writes {@code c} if the row is still at {@code c.resourceVersion()}; else OptimisticLockException. */
    public Cluster update(Cluster c) {
        return withVersion(c, repository.update(toRow(c)));
    }

    /** {@code c} as written: the row's new version, without parsing back what was just serialised. */
    private static Cluster withVersion(Cluster c, ClusterRow saved) {
        return new Cluster(c.name(), c.labels(), c.taints(), c.health(), c.cordoned(), c.draining(), c.allocatable(),
                c.requested(), c.costPerCpuHour(), c.agentVersion(), c.kubernetesVersion(), c.lastHeartbeat(),
                ResourceVersions.toApi(saved.resourceVersion()), c.createdAt(), c.updatedAt());
    }

    public void delete(String name) {
        repository.deleteById(name);
    }

    public List<Cluster> page(String after, int limit) {
        return repository.page(after, limit).stream().map(ClusterStore::toDomain).toList();
    }

    public List<Cluster> all() {
        return repository.all().stream().map(ClusterStore::toDomain).toList();
    }

    static ClusterRow toRow(Cluster c) {
        return new ClusterRow(c.name(), Json.write(c.labels()), Json.write(c.taints()), c.health().name(), c.cordoned(),
                c.draining(), c.allocatable().cpuMillis(), c.allocatable().memoryMiB(), c.allocatable().pods(),
                c.requested().cpuMillis(), c.requested().memoryMiB(), c.requested().pods(), c.costPerCpuHour(),
                c.agentVersion(), c.kubernetesVersion(), c.lastHeartbeat(), ResourceVersions.toRow(c.resourceVersion()), c.createdAt(),
                c.updatedAt());
    }

    static Cluster toDomain(ClusterRow r) {
        return new Cluster(r.name(), Json.read(r.labels(), LABELS), Json.read(r.taints(), TAINTS),
                Cluster.Health.valueOf(r.health()), r.cordoned(), r.draining(),
                new Quantities(r.allocCpuMillis(), r.allocMemoryMib(), r.allocPods()),
                new Quantities(r.reqCpuMillis(), r.reqMemoryMib(), r.reqPods()), r.costPerCpuHour(), r.agentVersion(),
                r.kubernetesVersion(), r.lastHeartbeat(), ResourceVersions.toApi(r.resourceVersion()), r.createdAt(), r.updatedAt());
    }
}
