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
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
    private static final TypeReference<List<Cluster.Taint>> TAINTS = new TypeReference<>() {};

    private final ClusterRepository repository;

    public ClusterStore(ClusterRepository repository) {
        this.repository = repository;
    }

    public Optional<Cluster> find(String name) {
        return repository.findById(name).map(ClusterStore::toDomain);
    }

    /**
     * The cluster, its row locked until the transaction ends (see {@link
     * ClusterRepository#lockByName}).
     */
    public Optional<Cluster> lock(String name) {
        return repository.lockByName(name).map(ClusterStore::toDomain);
    }

    public boolean exists(String name) {
        return repository.existsById(name);
    }

    public Cluster insert(Cluster c) {
        return withVersion(c, repository.save(toRow(c)));
    }

    /**
     * Writes what people change about {@code c} if the row is still at {@code c.resourceVersion()}
     * (else OptimisticLockException); agent-reported status is left as the agent last wrote it. The
     * caller read {@code c} with {@link #lock} in this transaction.
     */
    public Cluster updateSpec(Cluster c) {
        long expected = ResourceVersions.toRow(c.resourceVersion());
        if (repository.updateSpec(
                        c.name(),
                        Json.write(c.labels()),
                        Json.write(c.taints()),
                        c.cordoned(),
                        c.draining(),
                        c.allocatable().cpuMillis(),
                        c.allocatable().memoryMiB(),
                        c.allocatable().pods(),
                        c.requested().cpuMillis(),
                        c.requested().memoryMiB(),
                        c.requested().pods(),
                        c.costPerCpuHour(),
                        c.updatedAt(),
                        expected)
                != 1) {
            throw new io.micronaut.data.exceptions.OptimisticLockException(
                    "cluster " + c.name() + " changed");
        }
        return find(c.name()).orElseThrow();
    }

    /**
     * {@code c} as written: the row's new version, without parsing back what was just serialised.
     */
    private static Cluster withVersion(Cluster c, ClusterRow saved) {
        return new Cluster(
                c.name(),
                c.labels(),
                c.taints(),
                c.health(),
                c.cordoned(),
                c.draining(),
                c.allocatable(),
                c.requested(),
                c.managedRequested(),
                c.costPerCpuHour(),
                c.agentVersion(),
                c.kubernetesVersion(),
                c.lastHeartbeat(),
                c.readySince(),
                ResourceVersions.toApi(saved.resourceVersion()),
                c.createdAt(),
                c.updatedAt());
    }

    public Optional<Cluster> findByCredential(String credentialHash) {
        return repository.findByCredential(credentialHash).map(ClusterStore::toDomain);
    }

    public boolean isRegistered(String name) {
        return repository.countRegistered(name) > 0;
    }

    public void register(
            String name, String credentialHash, String agentVersion, String kubernetesVersion) {
        repository.register(name, credentialHash, agentVersion, kubernetesVersion);
    }

    /** Records an agent's heartbeat; false when the cluster no longer exists. */
    public boolean heartbeat(
            String name,
            Quantities allocatable,
            Quantities requested,
            Quantities managed,
            long at) {
        return repository.heartbeat(
                        name,
                        allocatable.cpuMillis(),
                        allocatable.memoryMiB(),
                        allocatable.pods(),
                        requested.cpuMillis(),
                        requested.memoryMiB(),
                        requested.pods(),
                        managed.cpuMillis(),
                        managed.memoryMiB(),
                        managed.pods(),
                        at)
                == 1;
    }

    /** Moves health from {@code from} to {@code to}; false when someone else moved it first. */
    public boolean transition(String name, Cluster.Health from, Cluster.Health to) {
        return repository.transition(name, from.name(), to.name()) == 1;
    }

    public void versions(String name, String agentVersion, String kubernetesVersion) {
        repository.versions(name, agentVersion, kubernetesVersion);
    }

    public void relabel(String name, Map<String, String> labels) {
        repository.relabel(name, Json.write(new java.util.TreeMap<>(labels)));
    }

    public boolean finishDrain(String name) {
        return repository.finishDrain(name) == 1;
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
        return new ClusterRow(
                c.name(),
                Json.write(c.labels()),
                Json.write(c.taints()),
                c.health().name(),
                c.cordoned(),
                c.draining(),
                c.allocatable().cpuMillis(),
                c.allocatable().memoryMiB(),
                c.allocatable().pods(),
                c.requested().cpuMillis(),
                c.requested().memoryMiB(),
                c.requested().pods(),
                c.managedRequested().cpuMillis(),
                c.managedRequested().memoryMiB(),
                c.managedRequested().pods(),
                c.costPerCpuHour(),
                c.agentVersion(),
                c.kubernetesVersion(),
                c.lastHeartbeat(),
                c.readySince(),
                ResourceVersions.toRow(c.resourceVersion()),
                c.createdAt(),
                c.updatedAt());
    }

    static Cluster toDomain(ClusterRow r) {
        return new Cluster(
                r.name(),
                Json.read(r.labels(), LABELS),
                Json.read(r.taints(), TAINTS),
                Cluster.Health.valueOf(r.health()),
                r.cordoned(),
                r.draining(),
                new Quantities(r.allocCpuMillis(), r.allocMemoryMib(), r.allocPods()),
                new Quantities(r.reqCpuMillis(), r.reqMemoryMib(), r.reqPods()),
                new Quantities(r.managedCpuMillis(), r.managedMemoryMib(), r.managedPods()),
                r.costPerCpuHour(),
                r.agentVersion(),
                r.kubernetesVersion(),
                r.lastHeartbeat(),
                r.readySince(),
                ResourceVersions.toApi(r.resourceVersion()),
                r.createdAt(),
                r.updatedAt());
    }
}
