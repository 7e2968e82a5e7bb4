package dev.fedplane.controlplane.burst.grpc;

import dev.fedplane.controlplane.burst.BurstPlanService;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.proto.v1.BurstDryRun;
import dev.fedplane.proto.v1.BurstPlan;
import dev.fedplane.proto.v1.BurstPlanServiceGrpc;
import dev.fedplane.proto.v1.CancelBurstPlanRequest;
import dev.fedplane.proto.v1.CreateBurstPlanRequest;
import dev.fedplane.proto.v1.DryRunBurstPlanRequest;
import dev.fedplane.proto.v1.GetBurstPlanRequest;
import dev.fedplane.proto.v1.ListBurstEventsRequest;
import dev.fedplane.proto.v1.ListBurstEventsResponse;
import dev.fedplane.proto.v1.ListBurstPlansRequest;
import dev.fedplane.proto.v1.ListBurstPlansResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.BurstPlanService}. */
@Singleton
public class GrpcBurstPlanService extends BurstPlanServiceGrpc.BurstPlanServiceImplBase {
    private final BurstPlanService plans;

    public GrpcBurstPlanService(BurstPlanService plans) {
        this.plans = plans;
    }

    @Override
    public void createBurstPlan(CreateBurstPlanRequest r, StreamObserver<BurstPlan> out) {
        reply(
                out,
                GrpcBurstConverters.toGrpc(
                        plans.create(
                                Callers.current(),
                                r.getName(),
                                r.hasSpec() ? GrpcBurstConverters.toCore(r.getSpec()) : null)));
    }

    @Override
    public void getBurstPlan(GetBurstPlanRequest r, StreamObserver<BurstPlan> out) {
        reply(out, GrpcBurstConverters.toGrpc(plans.get(Callers.current(), r.getName())));
    }

    @Override
    public void listBurstPlans(
            ListBurstPlansRequest r, StreamObserver<ListBurstPlansResponse> out) {
        BurstPlanService.Page page =
                plans.list(Callers.current(), r.getPageSize(), r.getPageToken());
        reply(
                out,
                ListBurstPlansResponse.newBuilder()
                        .addAllPlans(
                                page.plans().stream().map(GrpcBurstConverters::toGrpc).toList())
                        .setNextPageToken(page.nextPageToken())
                        .build());
    }

    @Override
    public void dryRunBurstPlan(DryRunBurstPlanRequest r, StreamObserver<BurstDryRun> out) {
        reply(
                out,
                GrpcBurstConverters.toGrpc(
                        plans.dryRun(
                                Callers.current(),
                                r.getName(),
                                r.hasSpec() ? GrpcBurstConverters.toCore(r.getSpec()) : null)));
    }

    @Override
    public void cancelBurstPlan(CancelBurstPlanRequest r, StreamObserver<BurstPlan> out) {
        reply(out, GrpcBurstConverters.toGrpc(plans.cancel(Callers.current(), r.getName())));
    }

    @Override
    public void listBurstEvents(
            ListBurstEventsRequest r, StreamObserver<ListBurstEventsResponse> out) {
        reply(
                out,
                ListBurstEventsResponse.newBuilder()
                        .addAllEvents(
                                plans.events(Callers.current(), r.getName()).stream()
                                        .map(GrpcBurstConverters::toGrpc)
                                        .toList())
                        .build());
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }
}
