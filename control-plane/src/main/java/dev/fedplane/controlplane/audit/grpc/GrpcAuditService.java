package dev.fedplane.controlplane.audit.grpc;

import dev.fedplane.controlplane.audit.AuditEvent;
import dev.fedplane.controlplane.audit.AuditLog;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.proto.v1.AuditServiceGrpc;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.ListAuditEventsResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.AuditService}, with its converter. */
@Singleton
public class GrpcAuditService extends AuditServiceGrpc.AuditServiceImplBase {
    private final AuditLog audit;

    public GrpcAuditService(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void listAuditEvents(
            ListAuditEventsRequest r, StreamObserver<ListAuditEventsResponse> out) {
        AuditLog.Page page =
                audit.list(Callers.current(), r.getTenant(), r.getPageSize(), r.getPageToken());
        out.onNext(
                ListAuditEventsResponse.newBuilder()
                        .addAllEvents(page.events().stream().map(GrpcAuditService::toGrpc).toList())
                        .setNextPageToken(page.nextPageToken())
                        .build());
        out.onCompleted();
    }

    static dev.fedplane.proto.v1.AuditEvent toGrpc(AuditEvent e) {
        return dev.fedplane.proto.v1.AuditEvent.newBuilder()
                .setId(e.id())
                .setTimeUnixMillis(e.at())
                .setActor(e.actor())
                .setActorRole(e.actorRole())
                .setMethod(e.method())
                .setTenant(e.tenant() == null ? "" : e.tenant())
                .setTarget(e.target())
                .setResult(e.result())
                .setMessage(e.message())
                .build();
    }
}
