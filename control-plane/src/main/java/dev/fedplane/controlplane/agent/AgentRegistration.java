package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.audit.AuditLog;
import dev.fedplane.controlplane.auth.Secrets;
import dev.fedplane.controlplane.auth.Token;
import dev.fedplane.controlplane.auth.TokenService;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterService;
import dev.fedplane.controlplane.cluster.ClusterStore;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.events.Changed;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exchanges a bootstrap token, or a cluster's own credential, for the cluster's identity. One
 * transaction: a refused registration uses no bootstrap token and creates no cluster. Registration
 * is not leader-only (any instance takes it), so it is not fenced.
 */
@Singleton
public class AgentRegistration {
    private final ClusterStore clusters;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final ApplicationEventPublisher<Changed> changes;

    public AgentRegistration(
            ClusterStore clusters,
            TokenService tokens,
            AuditLog audit,
            Clock clock,
            @Value("${fedplane.agent.heartbeat-interval:10s}") Duration heartbeatInterval,
            ApplicationEventPublisher<Changed> changes) {
        this.clusters = clusters;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.changes = changes;
    }

    /** What an agent tells about its cluster when it registers. */
    public record Request(
            String clusterName,
            Map<String, String> labels,
            List<Cluster.Taint> taints,
            String agentVersion,
            String kubernetesVersion,
            Quantities allocatable,
            Quantities requested,
            double costPerCpuHour) {}

    /** {@code credential} is empty when the agent registered again with its credential. */
    public record Result(String clusterName, String credential, Duration heartbeatInterval) {}

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    @Transactional
    public Result register(String bearer, Request r) {
        Violations v = new Violations();
        Cluster proposed =
                new Cluster(
                        r.clusterName(),
                        r.labels(),
                        r.taints(),
                        Cluster.Health.PENDING,
                        false,
                        false,
                        r.allocatable(),
                        r.requested(),
                        Quantities.ZERO,
                        r.costPerCpuHour(),
                        r.agentVersion(),
                        r.kubernetesVersion(),
                        0,
                        0,
                        1,
                        0,
                        0);
        ClusterService.validate(proposed, "", "cluster_name", v);
        v.throwIfAny();
        if (bearer == null || bearer.isEmpty()) {
            throw FedplaneException.unauthenticated(
                    "missing bearer token: send 'authorization: Bearer <bootstrap token "
                            + "or cluster credential>'");
        }
        String hash = Secrets.hash(bearer);
        Optional<Cluster> own = clusters.findByCredential(hash);
        if (own.isPresent()) {
            if (!own.get().name().equals(r.clusterName())) {
                throw FedplaneException.permissionDenied(
                        "this credential belongs to cluster "
                                + own.get().name()
                                + ", not "
                                + r.clusterName());
            }
            clusters.versions(r.clusterName(), r.agentVersion(), r.kubernetesVersion());
            return new Result(r.clusterName(), "", heartbeatInterval);
        }
        Token token = tokens.spendBootstrapToken(bearer);
        if (clusters.isRegistered(
                r.clusterName())) { // the transaction rolls back: the use is given back
            throw FedplaneException.alreadyExists(
                    "cluster",
                    r.clusterName()
                            + " (it is registered: register with its credential, or delete the cluster to register it anew)");
        }
        Optional<Cluster> existing = clusters.find(r.clusterName());
        long now = clock.millis();
        if (existing.isPresent()) {
            Map<String, String> merged = new TreeMap<>(existing.get().labels());
            merged.putAll(r.labels());
            clusters.relabel(r.clusterName(), merged);
        } else {
            clusters.insert(
                    new Cluster(
                            r.clusterName(),
                            r.labels(),
                            ClusterService.normalise(r.taints()),
                            Cluster.Health.PENDING,
                            false,
                            false,
                            r.allocatable(),
                            r.requested(),
                            Quantities.ZERO,
                            r.costPerCpuHour(),
                            r.agentVersion(),
                            r.kubernetesVersion(),
                            0,
                            0,
                            1,
                            now,
                            now));
        }
        String credential = Secrets.newSecret(Secrets.newId("clu-"));
        clusters.register(
                r.clusterName(), Secrets.hash(credential), r.agentVersion(), r.kubernetesVersion());
        audit.record(
                token.id(),
                "bootstrap",
                "fedplane.v1.AgentService/Register",
                "",
                "cluster/" + r.clusterName(),
                "OK",
                existing.isPresent()
                        ? "claimed the cluster an admin created"
                        : "registered a new cluster");
        changes.publishEvent(Changed.cluster(r.clusterName()));
        return new Result(r.clusterName(), credential, heartbeatInterval);
    }

    /** The cluster a credential belongs to; UNAUTHENTICATED when none. */
    @Transactional(readOnly = true)
    public Cluster authenticate(String credential) {
        if (credential == null || credential.isEmpty()) {
            throw FedplaneException.unauthenticated(
                    "missing cluster credential: send 'authorization: Bearer <credential>'");
        }
        return clusters.findByCredential(Secrets.hash(credential))
                .orElseThrow(() -> FedplaneException.unauthenticated("unknown cluster credential"));
    }
}
