package dev.fedplane.controlplane.rollout.grpc;

import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.controlplane.rollout.RolloutService;
import dev.fedplane.controlplane.store.UnconditionalWrite;
import dev.fedplane.proto.v1.ApproveRolloutStageRequest;
import dev.fedplane.proto.v1.GetRolloutRequest;
import dev.fedplane.proto.v1.RollbackAppRequest;
import dev.fedplane.proto.v1.RollbackAppResponse;
import dev.fedplane.proto.v1.RolloutActionRequest;
import dev.fedplane.proto.v1.RolloutServiceGrpc;
import dev.fedplane.proto.v1.RolloutStatus;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.RolloutService}. */
@Singleton
public class GrpcRolloutService extends RolloutServiceGrpc.RolloutServiceImplBase {
    private final RolloutService rollouts;

    public GrpcRolloutService(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    @Override
    public void getRollout(GetRolloutRequest r, StreamObserver<RolloutStatus> out) {
        reply(out, rollouts.get(Callers.current(), r.getTenant(), r.getName()));
    }

    @Override
    public void pauseRollout(RolloutActionRequest r, StreamObserver<RolloutStatus> out) {
        reply(out, rollouts.pause(Callers.current(), r.getTenant(), r.getName(), r.getRolloutId()));
    }

    @Override
    public void resumeRollout(RolloutActionRequest r, StreamObserver<RolloutStatus> out) {
        reply(
                out,
                rollouts.resume(Callers.current(), r.getTenant(), r.getName(), r.getRolloutId()));
    }

    @Override
    public void approveRolloutStage(
            ApproveRolloutStageRequest r, StreamObserver<RolloutStatus> out) {
        reply(
                out,
                rollouts.approve(
                        Callers.current(),
                        r.getTenant(),
                        r.getName(),
                        r.getRolloutId(),
                        r.getStage()));
    }

    @Override
    public void abortRollout(RolloutActionRequest r, StreamObserver<RolloutStatus> out) {
        reply(out, rollouts.abort(Callers.current(), r.getTenant(), r.getName(), r.getRolloutId()));
    }

    @Override
    public void rollbackApp(RollbackAppRequest r, StreamObserver<RollbackAppResponse> out) {
        RolloutService.RolledBack done =
                UnconditionalWrite.run(
                        r.getResourceVersion(),
                        () ->
                                rollouts.rollback(
                                        Callers.current(),
                                        r.getTenant(),
                                        r.getName(),
                                        r.getToRevision(),
                                        r.getImmediate(),
                                        r.getResourceVersion()));
        RollbackAppResponse.Builder b =
                RollbackAppResponse.newBuilder()
                        .setRevision(done.revision())
                        .setGeneration(done.app().generation())
                        .setResourceVersion(done.app().resourceVersion());
        done.rollout().ifPresent(v -> b.setRollout(GrpcRolloutConverters.toGrpc(v)));
        out.onNext(b.build());
        out.onCompleted();
    }

    private static void reply(StreamObserver<RolloutStatus> out, RolloutService.View v) {
        out.onNext(GrpcRolloutConverters.toGrpc(v));
        out.onCompleted();
    }
}
