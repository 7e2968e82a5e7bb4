package dev.fedplane.controlplane.cluster;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClusterRepository extends CrudRepository<ClusterRow, String> {

    @Query("SELECT * FROM clusters WHERE name > :after ORDER BY name LIMIT :limit")
    List<ClusterRow> page(String after, int limit);

    @Query("SELECT * FROM clusters ORDER BY name")
    List<ClusterRow> all();

    /**
     * Writes what people change (labels, taints, cost, capacity of agentless clusters, cordon and
     * drain marks) if the row is still at {@code expectedVersion}, raising it; 0 when it is not.
     * The caller holds the row ({@link #lockByName}).
     */
    @Query(
            "UPDATE clusters SET labels = :labels, taints = :taints, cordoned = :cordoned, draining = :draining, "
                    + "alloc_cpu_millis = :allocCpuMillis, alloc_memory_mib = :allocMemoryMib, alloc_pods = :allocPods, "
                    + "req_cpu_millis = :reqCpuMillis, req_memory_mib = :reqMemoryMib, req_pods = :reqPods, "
                    + "cost_per_cpu_hour = :costPerCpuHour, updated_at = :updatedAt, resource_version = resource_version + 1 "
                    + "WHERE name = :name AND resource_version = :expectedVersion")
    long updateSpec(
            String name,
            String labels,
            String taints,
            boolean cordoned,
            boolean draining,
            long allocCpuMillis,
            long allocMemoryMib,
            long allocPods,
            long reqCpuMillis,
            long reqMemoryMib,
            long reqPods,
            double costPerCpuHour,
            long updatedAt,
            long expectedVersion);

    /** An agent's heartbeat: capacity and health READY; does not raise resource_version. */
    @Query(
            "UPDATE clusters SET alloc_cpu_millis = :allocCpuMillis, alloc_memory_mib = :allocMemoryMib, "
                    + "alloc_pods = :allocPods, req_cpu_millis = :reqCpuMillis, req_memory_mib = :reqMemoryMib, "
                    + "req_pods = :reqPods, managed_cpu_millis = :managedCpuMillis, managed_memory_mib = :managedMemoryMib, "
                    + "managed_pods = :managedPods, last_heartbeat = :at, health = 'READY', "
                    + "ready_since = CASE WHEN health = 'READY' THEN ready_since ELSE :at END WHERE name = :name")
    long heartbeat(
            String name,
            long allocCpuMillis,
            long allocMemoryMib,
            long allocPods,
            long reqCpuMillis,
            long reqMemoryMib,
            long reqPods,
            long managedCpuMillis,
            long managedMemoryMib,
            long managedPods,
            long at);

    /**
     * Health tracking: moves a cluster from {@code from} to {@code to}; 0 when it was no longer
     * {@code from}.
     */
    @Query("UPDATE clusters SET health = :to WHERE name = :name AND health = :from")
    long transition(String name, String from, String to);

    /** Clears the drain mark once nothing is left on the cluster: it stays cordoned. */
    @Query("UPDATE clusters SET draining = FALSE WHERE name = :name AND draining = TRUE")
    long finishDrain(String name);

    /**
     * Locks the cluster's row until the transaction ends: a user write of a cluster reads it this
     * way, so its compare-and-set UPDATE cannot meet the row held by an agent's heartbeat.
     */
    @Query("SELECT * FROM clusters WHERE name = :name FOR UPDATE")
    java.util.Optional<ClusterRow> lockByName(String name);

    @Query("SELECT * FROM clusters WHERE credential_hash = :credentialHash")
    java.util.Optional<ClusterRow> findByCredential(String credentialHash);

    @Query("SELECT COUNT(*) FROM clusters WHERE name = :name AND credential_hash IS NOT NULL")
    long countRegistered(String name);

    /** Registration: identity, versions and credential of a (new or claimed) cluster. */
    @Query(
            "UPDATE clusters SET credential_hash = :credentialHash, agent_version = :agentVersion, "
                    + "kubernetes_version = :kubernetesVersion WHERE name = :name")
    long register(
            String name, String credentialHash, String agentVersion, String kubernetesVersion);

    /** A re-registering agent's versions; does not raise resource_version. */
    @Query(
            "UPDATE clusters SET agent_version = :agentVersion, kubernetes_version = :kubernetesVersion WHERE name = :name")
    long versions(String name, String agentVersion, String kubernetesVersion);

    /**
     * Registration claiming a cluster an admin created: the agent's labels are merged over the
     * admin's.
     */
    @Query(
            "UPDATE clusters SET labels = :labels, resource_version = resource_version + 1 WHERE name = :name")
    long relabel(String name, String labels);
}
