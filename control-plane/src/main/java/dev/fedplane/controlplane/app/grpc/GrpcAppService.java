package dev.fedplane.controlplane.app.grpc;

import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.controlplane.placement.PlacementService;
import dev.fedplane.controlplane.rollout.RolloutService;
import dev.fedplane.controlplane.rollout.grpc.GrpcRolloutConverters;
import dev.fedplane.controlplane.store.UnconditionalWrite;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.DeleteAppRequest;
import dev.fedplane.proto.v1.DeleteAppResponse;
import dev.fedplane.proto.v1.ExplainAppRequest;
import dev.fedplane.proto.v1.Explanation;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetEffectiveSpecRequest;
import dev.fedplane.proto.v1.GetEffectiveSpecResponse;
import dev.fedplane.proto.v1.ListAppsRequest;
import dev.fedplane.proto.v1.ListAppsResponse;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.UpdateAppRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.AppService}. */
@Singleton
public class GrpcAppService extends AppServiceGrpc.AppServiceImplBase {
    private final AppService apps;
    private final PlacementService placements;

    private final RolloutService rollouts;

    public GrpcAppService(AppService apps, PlacementService placements, RolloutService rollouts) {
        this.rollouts = rollouts;
        this.apps = apps;
        this.placements = placements;
    }

    @Override
    public void createApp(CreateAppRequest r, StreamObserver<App> out) {
        App a = r.getApp();
        reply(
                out,
                apps.create(
                        Callers.current(),
                        a.getTenant(),
                        a.getName(),
                        GrpcAppConverters.toCore(a.getSpec())));
    }

    @Override
    public void getApp(GetAppRequest r, StreamObserver<App> out) {
        AppStore.Stored stored = apps.getStored(Callers.current(), r.getTenant(), r.getName());
        App a = GrpcAppConverters.toGrpc(stored.app());
        java.util.Optional<RolloutService.View> rollout =
                rollouts.latestOf(stored.id(), stored.app());
        if (rollout.isPresent()) {
            a = a.toBuilder().setRollout(GrpcRolloutConverters.toGrpc(rollout.get())).build();
        }
        out.onNext(a);
        out.onCompleted();
    }

    @Override
    public void listApps(ListAppsRequest r, StreamObserver<ListAppsResponse> out) {
        AppService.Page page =
                apps.list(Callers.current(), r.getTenant(), r.getPageSize(), r.getPageToken());
        out.onNext(
                ListAppsResponse.newBuilder()
                        .addAllApps(page.apps().stream().map(GrpcAppConverters::toGrpc).toList())
                        .setNextPageToken(page.nextPageToken())
                        .build());
        out.onCompleted();
    }

    @Override
    public void updateApp(UpdateAppRequest r, StreamObserver<App> out) {
        App a = r.getApp();
        reply(
                out,
                UnconditionalWrite.run(
                        a.getResourceVersion(),
                        () ->
                                apps.update(
                                        Callers.current(),
                                        a.getTenant(),
                                        a.getName(),
                                        a.getResourceVersion(),
                                        GrpcAppConverters.toCore(a.getSpec()))));
    }

    @Override
    public void scaleApp(ScaleAppRequest r, StreamObserver<App> out) {
        reply(
                out,
                UnconditionalWrite.run(
                        r.getResourceVersion(),
                        () ->
                                apps.scale(
                                        Callers.current(),
                                        r.getTenant(),
                                        r.getName(),
                                        r.getResourceVersion(),
                                        r.getReplicas())));
    }

    @Override
    public void deleteApp(DeleteAppRequest r, StreamObserver<DeleteAppResponse> out) {
        apps.delete(Callers.current(), r.getTenant(), r.getName(), r.getResourceVersion());
        out.onNext(DeleteAppResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void explainApp(ExplainAppRequest r, StreamObserver<Explanation> out) {
        PlacementService.Explained e =
                placements.explainWithEffective(Callers.current(), r.getTenant(), r.getName());
        out.onNext(GrpcAppConverters.toGrpc(e.explanation(), e.effective()));
        out.onCompleted();
    }

    @Override
    public void getEffectiveSpec(
            GetEffectiveSpecRequest r, StreamObserver<GetEffectiveSpecResponse> out) {
        PlacementService.EffectiveOn e =
                placements.effective(Callers.current(), r.getTenant(), r.getName(), r.getCluster());
        out.onNext(
                GetEffectiveSpecResponse.newBuilder()
                        .setCluster(e.cluster())
                        .setGeneration(e.generation())
                        .setEffective(GrpcAppConverters.toGrpc(e.effective()))
                        .build());
        out.onCompleted();
    }

    private static void reply(StreamObserver<App> out, dev.fedplane.controlplane.app.App a) {
        out.onNext(GrpcAppConverters.toGrpc(a));
        out.onCompleted();
    }
}
