package dev.fedplane.controlplane.app.grpc;

import dev.fedplane.controlplane.app.AppRevision;
import dev.fedplane.controlplane.app.AppRevisionService;
import dev.fedplane.controlplane.app.TemplateDiff;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.proto.v1.AppRevisionServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.GetAppRevisionDiffRequest;
import dev.fedplane.proto.v1.GetAppRevisionDiffResponse;
import dev.fedplane.proto.v1.GetAppRevisionRequest;
import dev.fedplane.proto.v1.ListAppRevisionsRequest;
import dev.fedplane.proto.v1.ListAppRevisionsResponse;
import dev.fedplane.proto.v1.PodTemplate;
import dev.fedplane.proto.v1.TemplateChange;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.AppRevisionService}. */
@Singleton
public class GrpcAppRevisionService extends AppRevisionServiceGrpc.AppRevisionServiceImplBase {
    private final AppRevisionService revisions;

    public GrpcAppRevisionService(AppRevisionService revisions) {
        this.revisions = revisions;
    }

    @Override
    public void listAppRevisions(
            ListAppRevisionsRequest r, StreamObserver<ListAppRevisionsResponse> out) {
        AppRevisionService.History h =
                revisions.list(Callers.current(), r.getTenant(), r.getName());
        ListAppRevisionsResponse.Builder b = ListAppRevisionsResponse.newBuilder();
        for (AppRevision rev : h.revisions()) {
            b.addRevisions(toGrpc(rev, rev.revision() == h.current()));
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void getAppRevision(
            GetAppRevisionRequest r, StreamObserver<dev.fedplane.proto.v1.AppRevision> out) {
        AppRevisionService.Found found =
                revisions.get(Callers.current(), r.getTenant(), r.getName(), r.getRevision());
        out.onNext(toGrpc(found.revision(), found.isCurrent()));
        out.onCompleted();
    }

    @Override
    public void getAppRevisionDiff(
            GetAppRevisionDiffRequest r, StreamObserver<GetAppRevisionDiffResponse> out) {
        AppRevisionService.Diff d =
                revisions.diff(
                        Callers.current(),
                        r.getTenant(),
                        r.getName(),
                        r.getFromRevision(),
                        r.getToRevision());
        GetAppRevisionDiffResponse.Builder b =
                GetAppRevisionDiffResponse.newBuilder()
                        .setFromRevision(d.from())
                        .setToRevision(d.to());
        for (TemplateDiff.Change c : d.changes()) {
            b.addChanges(
                    TemplateChange.newBuilder().setPath(c.path()).setFrom(c.from()).setTo(c.to()));
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    static dev.fedplane.proto.v1.AppRevision toGrpc(AppRevision rev, boolean current) {
        AppSpec spec = GrpcAppConverters.toGrpc(rev.spec());
        return dev.fedplane.proto.v1.AppRevision.newBuilder()
                .setRevision(rev.revision())
                .setGeneration(rev.generation())
                .setTemplate(
                        PodTemplate.newBuilder()
                                .setImage(spec.getImage())
                                .setResources(spec.getResources())
                                .addAllPorts(spec.getPortsList())
                                .addAllEnv(spec.getEnvList()))
                .setCreateTimeUnixMillis(rev.createdAt())
                .setCreatedBy(rev.createdBy())
                .setCurrent(current)
                .build();
    }
}
