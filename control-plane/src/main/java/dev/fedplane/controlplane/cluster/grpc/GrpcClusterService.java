package dev.fedplane.controlplane.cluster.grpc;

import dev.fedplane.controlplane.cluster.ClusterService;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.controlplane.grpc.GrpcCommonConverters;
import dev.fedplane.controlplane.store.UnconditionalWrite;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.CordonClusterRequest;
import dev.fedplane.proto.v1.CreateClusterRequest;
import dev.fedplane.proto.v1.DeleteClusterRequest;
import dev.fedplane.proto.v1.DeleteClusterResponse;
import dev.fedplane.proto.v1.DrainClusterRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.ListClustersRequest;
import dev.fedplane.proto.v1.ListClustersResponse;
import dev.fedplane.proto.v1.UncordonClusterRequest;
import dev.fedplane.proto.v1.UpdateClusterRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.ClusterService}. */
@Singleton
public class GrpcClusterService extends ClusterServiceGrpc.ClusterServiceImplBase {
    private final ClusterService clusters;

    public GrpcClusterService(ClusterService clusters) {
        this.clusters = clusters;
    }

    @Override
    public void createCluster(CreateClusterRequest r, StreamObserver<Cluster> out) {
        reply(
                out,
                clusters.create(Callers.current(), GrpcClusterConverters.toCore(r.getCluster())));
    }

    @Override
    public void getCluster(GetClusterRequest r, StreamObserver<Cluster> out) {
        reply(out, clusters.get(Callers.current(), r.getName()));
    }

    @Override
    public void listClusters(ListClustersRequest r, StreamObserver<ListClustersResponse> out) {
        ClusterService.Page page =
                clusters.list(
                        Callers.current(),
                        GrpcCommonConverters.toCore(r.getSelector()),
                        r.getPageSize(),
                        r.getPageToken());
        out.onNext(
                ListClustersResponse.newBuilder()
                        .addAllClusters(
                                page.clusters().stream()
                                        .map(GrpcClusterConverters::toGrpc)
                                        .toList())
                        .setNextPageToken(page.nextPageToken())
                        .build());
        out.onCompleted();
    }

    @Override
    public void updateCluster(UpdateClusterRequest r, StreamObserver<Cluster> out) {
        reply(
                out,
                UnconditionalWrite.run(
                        r.getCluster().getResourceVersion(),
                        () ->
                                clusters.update(
                                        Callers.current(),
                                        GrpcClusterConverters.toCore(r.getCluster()))));
    }

    @Override
    public void cordonCluster(CordonClusterRequest r, StreamObserver<Cluster> out) {
        reply(
                out,
                UnconditionalWrite.run(
                        r.getResourceVersion(),
                        () ->
                                clusters.cordon(
                                        Callers.current(), r.getName(), r.getResourceVersion())));
    }

    @Override
    public void uncordonCluster(UncordonClusterRequest r, StreamObserver<Cluster> out) {
        reply(
                out,
                UnconditionalWrite.run(
                        r.getResourceVersion(),
                        () ->
                                clusters.uncordon(
                                        Callers.current(), r.getName(), r.getResourceVersion())));
    }

    @Override
    public void drainCluster(DrainClusterRequest r, StreamObserver<Cluster> out) {
        reply(
                out,
                UnconditionalWrite.run(
                        r.getResourceVersion(),
                        () ->
                                clusters.drain(
                                        Callers.current(), r.getName(), r.getResourceVersion())));
    }

    @Override
    public void deleteCluster(DeleteClusterRequest r, StreamObserver<DeleteClusterResponse> out) {
        clusters.delete(Callers.current(), r.getName(), r.getResourceVersion());
        out.onNext(DeleteClusterResponse.getDefaultInstance());
        out.onCompleted();
    }

    private static void reply(
            StreamObserver<Cluster> out, dev.fedplane.controlplane.cluster.Cluster c) {
        out.onNext(GrpcClusterConverters.toGrpc(c));
        out.onCompleted();
    }
}
