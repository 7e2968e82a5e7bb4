package dev.fedplane.controlplane.agent.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import dev.fedplane.controlplane.agent.AgentRegistration;
import dev.fedplane.controlplane.agent.AgentSessions;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.grpc.StatusMapping;
import dev.fedplane.controlplane.ha.LeaderInfo;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.LeaderRedirect;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Transport for {@code fedplane.v1.AgentService}: registration on any instance, streams on the
 * leader.
 */
@Singleton
public class GrpcAgentService extends AgentServiceGrpc.AgentServiceImplBase {
    private static final String REGISTER = "fedplane.v1.AgentService/Register";
    private static final String CONNECT = "fedplane.v1.AgentService/Connect";

    private static final StreamObserver<AgentMessage> IGNORE =
            new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage value) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            };

    private final AgentRegistration registration;
    private final AgentSessions sessions;
    private final Leadership leadership;

    public GrpcAgentService(
            AgentRegistration registration, AgentSessions sessions, Leadership leadership) {
        this.registration = registration;
        this.sessions = sessions;
        this.leadership = leadership;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> out) {
        AgentRegistration.Result r;
        try {
            r =
                    registration.register(
                            AgentCallInterceptor.BEARER.get(), GrpcAgentConverters.toCore(request));
        } catch (RuntimeException e) {
            out.onError(StatusMapping.toStatus(e, REGISTER));
            return;
        }
        out.onNext(
                RegisterResponse.newBuilder()
                        .setClusterName(r.clusterName())
                        .setCredential(r.credential())
                        .setHeartbeatIntervalSeconds(Math.max(1, r.heartbeatInterval().toSeconds()))
                        .build());
        out.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
        ServerCallStreamObserver<ControlMessage> out =
                (ServerCallStreamObserver<ControlMessage>) responses;
        Cluster cluster;
        try {
            cluster = registration.authenticate(AgentCallInterceptor.BEARER.get());
            if (!leadership.isLeader()) {
                out.onError(followerAnswer());
                return IGNORE;
            }
        } catch (RuntimeException e) {
            out.onError(StatusMapping.toStatus(e, CONNECT));
            return IGNORE;
        }
        AgentSession s = new AgentSession(cluster.name(), out, sessions);
        sessions.open(s);
        out.setOnCancelHandler(() -> s.onError(io.grpc.Status.CANCELLED.asRuntimeException()));
        return s;
    }

    /**
     * A follower's answer to {@code Connect}: FAILED_PRECONDITION with a {@link LeaderRedirect}
     * (leader id, agent address, epoch) in the {@code google.rpc.Status} details when another
     * instance is known to lead; UNAVAILABLE (retry) when no leader is known.
     */
    private io.grpc.StatusRuntimeException followerAnswer() {
        Optional<LeaderInfo> leader =
                leadership.leader().filter(l -> !l.id().equals(leadership.self().id()));
        if (leader.isEmpty()) {
            return io.grpc.Status.UNAVAILABLE
                    .withDescription("no control-plane leader is known yet; retry")
                    .asRuntimeException();
        }
        LeaderInfo l = leader.get();
        return StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                        .setCode(Code.FAILED_PRECONDITION.getNumber())
                        .setMessage(
                                "this control plane instance does not lead; connect to the leader "
                                        + l.id()
                                        + " at "
                                        + l.address())
                        .addDetails(
                                Any.pack(
                                        LeaderRedirect.newBuilder()
                                                .setLeaderId(l.id())
                                                .setLeaderAddress(l.address())
                                                .setEpoch(l.epoch())
                                                .build()))
                        .build());
    }
}
