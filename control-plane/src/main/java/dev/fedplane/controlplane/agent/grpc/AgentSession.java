package dev.fedplane.controlplane.agent.grpc;

import dev.fedplane.controlplane.agent.AgentSessions;
import dev.fedplane.controlplane.agent.AgentStream;
import dev.fedplane.controlplane.agent.WorkloadReports;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.controlplane.grpc.StatusMapping;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.placement.DesiredStates;
import dev.fedplane.proto.v1.Ack;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.HeartbeatAck;
import dev.fedplane.proto.v1.Hello;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's stream. The first message must be a hello. The control plane then sends the cluster's
 * full desired state unless the agent already applied the current generation, and after that each
 * change: a delta when the agent is exactly one generation behind, else the full state.
 *
 * <p>Flow control: at most one unacknowledged message per stream. The next one is sent when the
 * agent acknowledges the previous; changes made meanwhile are coalesced into it. A failed apply
 * makes the next message a full state, sent after a pause.
 */
public final class AgentSession implements StreamObserver<AgentMessage>, AgentStream {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
    private static final String METHOD = "fedplane.v1.AgentService/Connect";

    private final String cluster;
    private final ServerCallStreamObserver<ControlMessage> out;
    private final AgentSessions owner;

    private boolean hello;

    /** The hello asked for every heartbeat to be answered (a HeartbeatAck). */
    private boolean heartbeatAcks;

    private boolean closed;

    /** The generation the agent has applied (-1: unknown) and, when known, that state. */
    private long agentGeneration = -1;

    private DesiredState agentState;
    private long inFlightGeneration;
    private DesiredState inFlightState;

    /** Sends of this stream so far (each identifies its ack timeout) and timeouts in a row. */
    private long sends;

    private int ackMisses;

    AgentSession(
            String cluster, ServerCallStreamObserver<ControlMessage> out, AgentSessions owner) {
        this.cluster = cluster;
        this.out = out;
        this.owner = owner;
    }

    @Override
    public String cluster() {
        return cluster;
    }

    @Override
    public void onNext(AgentMessage m) {
        try {
            switch (m.getKindCase()) {
                case HELLO -> onHello(m.getHello());
                case HEARTBEAT -> {
                    requireHello();
                    ClusterCapacity c = m.getHeartbeat().getCapacity();
                    owner.driftCorrections(cluster, m.getHeartbeat().getDriftCorrectionsTotal());
                    owner.heartbeat(
                            cluster,
                            GrpcCommonConverters.toCore(c.getAllocatable()),
                            GrpcCommonConverters.toCore(c.getRequested()),
                            GrpcCommonConverters.toCore(c.getManagedRequested()));
                    answerHeartbeat(m.getHeartbeat().getSentUnixMillis());
                }
                case STATUS -> {
                    requireHello();
                    owner.report(
                            cluster,
                            m.getStatus().getWorkloadsList().stream()
                                    .map(
                                            w ->
                                                    new WorkloadReports.Report(
                                                            w.getTenant(),
                                                            w.getApp(),
                                                            w.getReadyReplicas(),
                                                            w.getDesiredReplicas(),
                                                            w.getRevision(),
                                                            w.getUpdatedReplicas(),
                                                            w.getAvailableReplicas()))
                                    .toList());
                }
                case ACK -> {
                    requireHello();
                    onAck(m.getAck());
                }
                default ->
                        throw FedplaneException.invalid(
                                "kind", "an agent message needs a hello, heartbeat, status or ack");
            }
        } catch (RuntimeException e) {
            close(StatusMapping.toStatus(e, METHOD).getStatus());
        }
    }

    private void requireHello() {
        if (!hello) {
            throw FedplaneException.invalid(
                    "hello", "the first message of a stream must be a hello");
        }
    }

    private void onHello(Hello h) {
        synchronized (this) {
            if (hello) {
                throw FedplaneException.invalid("hello", "a stream takes one hello");
            }
            if (!h.getClusterName().isEmpty() && !h.getClusterName().equals(cluster)) {
                throw FedplaneException.permissionDenied(
                        "this stream's credential belongs to cluster "
                                + cluster
                                + ", not "
                                + h.getClusterName());
            }
            long epoch = owner.epoch();
            if (epoch == 0 || h.getLastSeenEpoch() > epoch) {
                throw FedplaneException.unavailable(
                        "the agent has seen leader epoch "
                                + h.getLastSeenEpoch()
                                + ", newer than this instance's "
                                + epoch
                                + ": reconnect to the current leader");
            }
            DesiredStates.Numbered d = owner.desired(cluster);
            agentGeneration = h.getLastAppliedGeneration();
            // Generation 0 is "nothing applied": the agent is sent a full state first, never a
            // delta from nothing.
            agentState =
                    agentGeneration == d.generation() && agentGeneration > 0 ? d.state() : null;
            hello = true;
            heartbeatAcks = h.getHeartbeatAcks();
            LOG.info(
                    "cluster {} connected: applied generation {}, desired generation {}",
                    cluster,
                    agentGeneration,
                    d.generation());
        }
        pump();
    }

    /**
     * Answers a heartbeat when the agent asked for it, so that the agent can tell a leader that
     * stopped answering. An instance that no longer leads answers by closing the stream instead
     * (the agent reconnects to the leader at once rather than after its silence timeout).
     */
    private void answerHeartbeat(long sentUnixMillis) {
        boolean deposed;
        synchronized (this) {
            if (closed || !heartbeatAcks) {
                return;
            }
            long epoch = owner.epoch();
            deposed = epoch == 0;
            if (!deposed) {
                try {
                    out.onNext(
                            ControlMessage.newBuilder()
                                    .setEpoch(epoch)
                                    .setHeartbeatAck(
                                            HeartbeatAck.newBuilder()
                                                    .setSentUnixMillis(sentUnixMillis))
                                    .build());
                } catch (RuntimeException e) {
                    LOG.debug("cluster {}: heartbeat ack failed: {}", cluster, e.toString());
                }
            }
        }
        if (deposed) {
            closeNotLeader();
        }
    }

    private void onAck(Ack a) {
        synchronized (this) {
            if (a.getGeneration() != inFlightGeneration || inFlightGeneration == 0) {
                return; // an ack of something no longer in flight
            }
            ackMisses = 0;
            if (a.getSuccess()) {
                agentGeneration = inFlightGeneration;
                agentState = inFlightState;
                inFlightGeneration = 0;
                inFlightState = null;
            } else {
                LOG.warn(
                        "cluster {} failed to apply generation {}: {}",
                        cluster,
                        a.getGeneration(),
                        a.getError());
                agentGeneration = -1;
                agentState = null;
                inFlightGeneration = 0;
                inFlightState = null;
                owner.retryLater(this);
                return;
            }
        }
        owner.acked(cluster, a.getGeneration());
        pump();
    }

    @Override
    public void pump() {
        synchronized (this) {
            if (closed || !hello || inFlightGeneration != 0) {
                return;
            }
            long epoch = owner.epoch();
            if (epoch == 0) {
                close(
                        Status.UNAVAILABLE.withDescription(
                                "this control plane no longer leads; reconnect"));
                return;
            }
            DesiredStates.Numbered d = owner.desired(cluster);
            if (d.generation() == agentGeneration && agentState != null) {
                return;
            }
            if (d.generation() == 0 && agentGeneration <= 0) {
                return; // nothing was ever desired and the agent applied nothing
            }
            ControlMessage.Builder m =
                    ControlMessage.newBuilder().setEpoch(epoch).setGeneration(d.generation());
            if (agentState != null && d.generation() == agentGeneration + 1) {
                m.setDelta(GrpcAgentConverters.toGrpc(DesiredState.diff(agentState, d.state())));
            } else {
                m.setFull(GrpcAgentConverters.toGrpc(d.state()));
            }
            inFlightGeneration = d.generation();
            inFlightState = d.state();
            long send = ++sends;
            owner.awaitAck(ackMisses, () -> onAckTimeout(send));
            try {
                out.onNext(m.build());
            } catch (RuntimeException e) {
                LOG.debug("cluster {}: send failed: {}", cluster, e.toString());
                closed = true;
                owner.closed(this);
            }
        }
    }

    /**
     * Send {@code send} was not acknowledged in time: unless something else was sent since, the
     * agent is sent its full state again (bounded: past the limit the stream is closed and the
     * agent reconnects).
     */
    private void onAckTimeout(long send) {
        int misses;
        synchronized (this) {
            if (closed || send != sends || inFlightGeneration == 0) {
                return;
            }
            misses = ++ackMisses;
            inFlightGeneration = 0;
            inFlightState = null;
            agentGeneration = -1;
            agentState = null;
        }
        if (owner.ackTimedOut(cluster, misses)) {
            close(
                    Status.UNAVAILABLE.withDescription(
                            "desired state not acknowledged after "
                                    + misses
                                    + " timeouts; reconnect"));
            return;
        }
        pump();
    }

    @Override
    public void closeReplaced() {
        close(Status.ABORTED.withDescription("replaced by a newer stream of the same cluster"));
    }

    @Override
    public void closeNotLeader() {
        close(Status.UNAVAILABLE.withDescription("this control plane no longer leads; reconnect"));
    }

    /** Ends the stream with {@code status} (at most once). */
    public void close(Status status) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        owner.closed(this);
        try {
            if (status.isOk()) {
                out.onCompleted();
            } else {
                out.onError(status.asRuntimeException());
            }
        } catch (RuntimeException ignored) {
            // already cancelled by the peer
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            closed = true;
        }
        owner.closed(this);
        LOG.info("cluster {} disconnected: {}", cluster, Status.fromThrowable(t).getCode());
    }

    @Override
    public void onCompleted() {
        close(Status.OK);
        LOG.info("cluster {} closed its stream", cluster);
    }
}
