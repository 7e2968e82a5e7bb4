package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.ha.LeaderEpochs;
import dev.fedplane.controlplane.placement.DesiredStates;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * What agent sessions and health tracking read and write; every write is fenced by the leader
 * epoch.
 */
@Singleton
public class AgentStore {
    private final ClusterStore clusters;
    private final DesiredStates desired;
    private final LeaderEpochs epochs;

    public AgentStore(ClusterStore clusters, DesiredStates desired, LeaderEpochs epochs) {
        this.clusters = clusters;
        this.desired = desired;
        this.epochs = epochs;
    }

    @Transactional(readOnly = true)
    public DesiredStates.Numbered desired(String cluster) {
        return desired.get(cluster);
    }

    @Transactional(readOnly = true)
    public Optional<Cluster> cluster(String name) {
        return clusters.find(name);
    }

    @Transactional(readOnly = true)
    public List<Cluster> clusters() {
        return clusters.all();
    }

    /** Records a heartbeat; the cluster as it was before, empty when it no longer exists. */
    @Transactional
    public Optional<Cluster> heartbeat(
            long epoch,
            String name,
            Quantities allocatable,
            Quantities requested,
            Quantities managed,
            long at) {
        epochs.check(epoch);
        Optional<Cluster> before = clusters.find(name);
        if (before.isPresent()) {
            clusters.heartbeat(name, allocatable, requested, managed, at);
        }
        return before;
    }

    @Transactional
    public void ack(long epoch, String cluster, long generation) {
        epochs.check(epoch);
        desired.ack(cluster, generation);
    }

    @Transactional
    public boolean transition(long epoch, String cluster, Cluster.Health from, Cluster.Health to) {
        epochs.check(epoch);
        return clusters.transition(cluster, from, to);
    }
}
