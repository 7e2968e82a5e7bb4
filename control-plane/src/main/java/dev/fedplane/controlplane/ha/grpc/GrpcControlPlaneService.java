package dev.fedplane.controlplane.ha.grpc;

import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.proto.v1.ControlPlaneLeader;
import dev.fedplane.proto.v1.ControlPlaneRole;
import dev.fedplane.proto.v1.ControlPlaneServiceGrpc;
import dev.fedplane.proto.v1.ControlPlaneStatus;
import dev.fedplane.proto.v1.GetControlPlaneStatusRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/**
 * Transport for {@code fedplane.v1.ControlPlaneService}: this instance's role, epoch and leader.
 * Any authenticated platform token may ask (the platform interceptor authenticates; nothing here is
 * tenant data).
 */
@Singleton
public class GrpcControlPlaneService extends ControlPlaneServiceGrpc.ControlPlaneServiceImplBase {
    private final Leadership leadership;

    public GrpcControlPlaneService(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public void getControlPlaneStatus(
            GetControlPlaneStatusRequest request, StreamObserver<ControlPlaneStatus> out) {
        out.onNext(toGrpc(leadership));
        out.onCompleted();
    }

    public static ControlPlaneStatus toGrpc(Leadership l) {
        ControlPlaneStatus.Builder b =
                ControlPlaneStatus.newBuilder()
                        .setInstanceId(l.self().id())
                        .setAdvertiseAddress(l.self().address())
                        .setHaMode(l.mode())
                        .setRole(
                                l.isLeader()
                                        ? ControlPlaneRole.CONTROL_PLANE_ROLE_LEADER
                                        : ControlPlaneRole.CONTROL_PLANE_ROLE_FOLLOWER)
                        .setEpoch(l.epoch());
        l.leader()
                .ifPresent(
                        x ->
                                b.setLeader(
                                        ControlPlaneLeader.newBuilder()
                                                .setId(x.id())
                                                .setAddress(x.address())
                                                .setEpoch(x.epoch())));
        return b.build();
    }
}
