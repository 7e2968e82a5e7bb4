package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every template change makes a numbered revision; scaling makes none; the newest few are kept. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevisionsIT {
    private ControlPlaneHarness cp;
    private Stubs admin;
    private AppRevisionServiceGrpc.AppRevisionServiceBlockingStub revisions;

    @BeforeAll
    void start() {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of("fedplane.revisions.history-limit", 3));
        admin = Stubs.of(cp.channel(), ADMIN_TOKEN);
        revisions = revisionsAs(ADMIN_TOKEN);
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("shop", 100000, 102400, 50))
                                .build());
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("other")).build());
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    private AppRevisionServiceGrpc.AppRevisionServiceBlockingStub revisionsAs(String token) {
        return withToken(AppRevisionServiceGrpc.newBlockingStub(cp.channel()), token);
    }

    private App update(String name, java.util.function.Consumer<AppSpec.Builder> change) {
        App current =
                admin.apps()
                        .getApp(GetAppRequest.newBuilder().setTenant("shop").setName(name).build());
        AppSpec.Builder spec = current.getSpec().toBuilder();
        change.accept(spec);
        return admin.apps()
                .updateApp(
                        UpdateAppRequest.newBuilder()
                                .setApp(current.toBuilder().setSpec(spec))
                                .build());
    }

    private List<AppRevision> list(String name) {
        return revisions
                .listAppRevisions(
                        ListAppRevisionsRequest.newBuilder()
                                .setTenant("shop")
                                .setName(name)
                                .build())
                .getRevisionsList();
    }

    @Test
    @DisplayName(
            "template changes make revisions 1, 2, 3; scaling and placement changes make none; diff names each field")
    void revisionsFollowTemplateChanges() {
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 2)).build());
        assertThat(list("web")).extracting(AppRevision::getRevision).containsExactly(1L);

        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .setReplicas(4)
                                .build());
        update("web", s -> s.getPlacementBuilder().setFailback(true));
        assertThat(list("web")).extracting(AppRevision::getRevision).containsExactly(1L);

        update("web", s -> s.setImage("registry.example/web:2.0"));
        App last =
                update(
                        "web",
                        s ->
                                s.addEnv(EnvVar.newBuilder().setName("MODE").setValue("peak"))
                                        .setResources(
                                                s.getResources().toBuilder().setCpuMillis(750)));
        List<AppRevision> all = list("web");
        assertThat(all).extracting(AppRevision::getRevision).containsExactly(3L, 2L, 1L);
        assertThat(all).extracting(AppRevision::getCurrent).containsExactly(true, false, false);
        assertThat(all.get(0).getGeneration()).isEqualTo(last.getGeneration());
        assertThat(all.get(0).getCreatedBy()).isNotEmpty();
        assertThat(all.get(0).getTemplate().getImage()).isEqualTo("registry.example/web:2.0");
        assertThat(all.get(2).getTemplate().getImage()).isEqualTo("registry.example/web:1.0");

        AppRevision current =
                revisions.getAppRevision(
                        GetAppRevisionRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .build());
        assertThat(current.getRevision()).isEqualTo(3);
        assertThat(current.getCurrent()).isTrue();
        assertThat(current.getTemplate().getEnvList()).extracting(EnvVar::getName).contains("MODE");

        GetAppRevisionDiffResponse diff =
                revisions.getAppRevisionDiff(
                        GetAppRevisionDiffRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .setFromRevision(1)
                                .build());
        assertThat(diff.getFromRevision()).isEqualTo(1);
        assertThat(diff.getToRevision()).isEqualTo(3);
        assertThat(diff.getChangesList())
                .extracting(TemplateChange::getPath, TemplateChange::getFrom, TemplateChange::getTo)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("env[MODE]", "", "peak"),
                        org.assertj.core.groups.Tuple.tuple(
                                "image", "registry.example/web:1.0", "registry.example/web:2.0"),
                        org.assertj.core.groups.Tuple.tuple("resources.cpu_millis", "500", "750"));
    }

    @Test
    @DisplayName("only the newest history-limit revisions are kept; an older one is NOT_FOUND")
    void historyIsBounded() {
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "api", 1)).build());
        for (int i = 2; i <= 5; i++) {
            int n = i;
            update("api", s -> s.setImage("registry.example/api:" + n));
        }
        assertThat(list("api")).extracting(AppRevision::getRevision).containsExactly(5L, 4L, 3L);
        assertThatThrownBy(
                        () ->
                                revisions.getAppRevision(
                                        GetAppRevisionRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("api")
                                                .setRevision(2)
                                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                            assertThat(e.getStatus().getDescription()).contains("revision 2");
                        });
    }

    @Test
    @DisplayName(
            "a refused write makes no revision; a deleted app's revisions go with it and a new app of the name starts at 1")
    void refusedWritesAndDeletes() {
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder().setApp(anApp("shop", "batch", 10)).build());
        // 10 replicas x 20,000 millis is over the tenant's 100,000 cpu_millis quota.
        assertThatThrownBy(
                        () ->
                                update(
                                        "batch",
                                        s ->
                                                s.setImage("registry.example/batch:2")
                                                        .setResources(
                                                                s.getResources().toBuilder()
                                                                        .setCpuMillis(20000))))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(list("batch")).extracting(AppRevision::getRevision).containsExactly(1L);

        update("batch", s -> s.setImage("registry.example/batch:3"));
        assertThat(list("batch")).hasSize(2);
        admin.apps()
                .deleteApp(
                        DeleteAppRequest.newBuilder().setTenant("shop").setName("batch").build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "batch", 1)).build());
        assertThat(list("batch"))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getRevision()).isEqualTo(1);
                            assertThat(r.getTemplate().getImage())
                                    .isEqualTo("registry.example/web:1.0");
                        });
    }

    @Test
    @DisplayName(
            "bad revision numbers name the field; unknown apps are NOT_FOUND; other tenants are denied")
    void validationAndAccess() {
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "cart", 1)).build());
        assertThatThrownBy(
                        () ->
                                revisions.getAppRevisionDiff(
                                        GetAppRevisionDiffRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("cart")
                                                .setToRevision(-1)
                                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).contains("from_revision");
                            com.google.rpc.Status details = StatusProto.fromThrowable(e);
                            assertThat(details.getDetailsList())
                                    .filteredOn(d -> d.is(BadRequest.class))
                                    .singleElement()
                                    .satisfies(
                                            d ->
                                                    assertThat(
                                                                    d.unpack(BadRequest.class)
                                                                            .getFieldViolationsList())
                                                            .extracting(
                                                                    BadRequest.FieldViolation
                                                                            ::getField)
                                                            .containsExactlyInAnyOrder(
                                                                    "from_revision",
                                                                    "to_revision"));
                        });
        assertThatThrownBy(
                        () ->
                                revisions.listAppRevisions(
                                        ListAppRevisionsRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("nope")
                                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(
                        () ->
                                revisions.listAppRevisions(
                                        ListAppRevisionsRequest.newBuilder()
                                                .setTenant("Shop!")
                                                .setName("cart")
                                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).contains("tenant");
                        });

        String otherViewer =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(Role.TENANT_VIEWER)
                                        .setTenant("other")
                                        .build())
                        .getSecret();
        assertThatThrownBy(
                        () ->
                                revisionsAs(otherViewer)
                                        .listAppRevisions(
                                                ListAppRevisionsRequest.newBuilder()
                                                        .setTenant("shop")
                                                        .setName("cart")
                                                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.PERMISSION_DENIED));
        String shopViewer =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(Role.TENANT_VIEWER)
                                        .setTenant("shop")
                                        .build())
                        .getSecret();
        assertThat(
                        revisionsAs(shopViewer)
                                .listAppRevisions(
                                        ListAppRevisionsRequest.newBuilder()
                                                .setTenant("shop")
                                                .setName("cart")
                                                .build())
                                .getRevisionsCount())
                .isEqualTo(1);
    }
}
