package dev.fedplane.controlplane.agent.grpc;

import dev.fedplane.controlplane.agent.AgentRegistration;
import dev.fedplane.controlplane.agent.AgentSession;
import dev.fedplane.controlplane.agent.AgentSessions;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.grpc.StatusMapping;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.AgentService}: registration on any instance, streams on the leader. */
@Singleton
public class GrpcAgentService extends AgentServiceGrpc.AgentServiceImplBase {
    private static final String REGISTER = "fedplane.v1.AgentService/Register";
    private static final String CONNECT = "fedplane.v1.AgentService/Connect";

    private final AgentRegistration registration;
    private final AgentSessions sessions;
    private final Leadership leadership;

    public GrpcAgentService(AgentRegistration registration, AgentSessions sessions, Leadership leadership) {
        this.registration = registration;
        this.sessions = sessions;
        this.leadership = leadership;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> out) {
        AgentRegistration.Result r;
        try {
            r = registration.register(AgentCallInterceptor.BEARER.get(), GrpcAgentConverters.toCore(request));
        } catch (RuntimeException e) {
            out.onError(StatusMapping.toStatus(e, REGISTER));
            return;
        }
        out.onNext(RegisterResponse.newBuilder().setClusterName(r.clusterName()).setCredential(r.credential())
                .setHeartbeatIntervalSeconds(Math.max(1, r.heartbeatInterval().toSeconds())).build());
        out.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
        ServerCallStreamObserver<ControlMessage> out = (ServerCallStreamObserver<ControlMessage>) responses;
        Cluster cluster;
        try {
            cluster = registration.authenticate(AgentCallInterceptor.BEARER.get());
            if (!leadership.isLeader()) {
                throw FedplaneException.unavailable("this control plane does not lead yet; retry");
            }
        } catch (RuntimeException e) {
            out.onError(StatusMapping.toStatus(e, CONNECT));
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        AgentSession s = sessions.open(cluster.name(), out);
        out.setOnCancelHandler(() -> s.onError(io.grpc.Status.CANCELLED.asRuntimeException()));
        return s;
    }
}
