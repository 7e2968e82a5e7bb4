package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.Fixtures.aCluster;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static io.grpc.Status.Code.OK;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The auth matrix: every caller (platform-admin, tenant-admin and tenant-viewer of tenant "alpha",
 * no token, an unknown token) against every RPC, on its own tenant's objects and on tenant
 * "beta"'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthMatrixIT {
    enum Caller {
        PLATFORM_ADMIN,
        TENANT_ADMIN,
        TENANT_VIEWER,
        NO_TOKEN,
        UNKNOWN_TOKEN
    }

    private ControlPlaneHarness cp;
    private Stubs admin;
    private final java.util.Map<Caller, Stubs> stubs = new java.util.EnumMap<>(Caller.class);
    private final AtomicInteger unique = new AtomicInteger();

    @BeforeAll
    void start() {
        cp = ControlPlaneHarness.start(ControlPlaneHarness.Store.H2);
        admin = Stubs.of(cp.channel(), ADMIN_TOKEN);
        for (String t : List.of("alpha", "beta")) {
            admin.tenants()
                    .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant(t)).build());
            admin.apps()
                    .createApp(CreateAppRequest.newBuilder().setApp(anApp(t, "web", 1)).build());
        }
        admin.clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder().setCluster(aCluster("c1")).build());
        stubs.put(Caller.PLATFORM_ADMIN, admin);
        stubs.put(Caller.TENANT_ADMIN, Stubs.of(cp.channel(), token(Role.TENANT_ADMIN, "alpha")));
        stubs.put(Caller.TENANT_VIEWER, Stubs.of(cp.channel(), token(Role.TENANT_VIEWER, "alpha")));
        stubs.put(
                Caller.UNKNOWN_TOKEN, Stubs.of(cp.channel(), "tok-000000000000.not-a-real-secret"));
        stubs.put(
                Caller.NO_TOKEN,
                new Stubs(
                        TenantServiceGrpc.newBlockingStub(cp.channel()),
                        AppServiceGrpc.newBlockingStub(cp.channel()),
                        ClusterServiceGrpc.newBlockingStub(cp.channel()),
                        TokenServiceGrpc.newBlockingStub(cp.channel()),
                        CapacityServiceGrpc.newBlockingStub(cp.channel()),
                        AuditServiceGrpc.newBlockingStub(cp.channel())));
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    private String token(Role role, String tenant) {
        return admin.tokens()
                .createToken(
                        CreateTokenRequest.newBuilder()
                                .setKind(TokenKind.API)
                                .setRole(role)
                                .setTenant(tenant)
                                .build())
                .getSecret();
    }

    private String fresh() {
        return "x" + unique.incrementAndGet();
    }

    /**
     * An RPC of the table: runs as the given stubs; {@code String} is a fresh name for objects it
     * creates.
     */
    private record Op(
            String name,
            BiConsumer<Stubs, String> call,
            Status.Code admin,
            Status.Code tenantAdmin,
            Status.Code tenantViewer) {}

    private List<Op> ops() {
        List<Op> ops = new ArrayList<>();
        // tenants
        ops.add(
                new Op(
                        "CreateTenant",
                        (s, n) ->
                                s.tenants()
                                        .createTenant(
                                                CreateTenantRequest.newBuilder()
                                                        .setTenant(aTenant(n))
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "GetTenant of its own tenant",
                        (s, n) ->
                                s.tenants()
                                        .getTenant(
                                                GetTenantRequest.newBuilder()
                                                        .setName("alpha")
                                                        .build()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "GetTenant of another tenant",
                        (s, n) ->
                                s.tenants()
                                        .getTenant(
                                                GetTenantRequest.newBuilder()
                                                        .setName("beta")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ListTenants",
                        (s, n) -> s.tenants().listTenants(ListTenantsRequest.getDefaultInstance()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "UpdateTenant of its own tenant",
                        (s, n) ->
                                s.tenants()
                                        .updateTenant(
                                                UpdateTenantRequest.newBuilder()
                                                        .setTenant(aTenant("alpha"))
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "UpdateNetworkRules of its own tenant",
                        (s, n) ->
                                s.tenants()
                                        .updateNetworkRules(
                                                dev.fedplane.proto.v1.UpdateNetworkRulesRequest
                                                        .newBuilder()
                                                        .setTenant("alpha")
                                                        .build()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "UpdateNetworkRules of another tenant",
                        (s, n) ->
                                s.tenants()
                                        .updateNetworkRules(
                                                dev.fedplane.proto.v1.UpdateNetworkRulesRequest
                                                        .newBuilder()
                                                        .setTenant("beta")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "DeleteTenant",
                        (s, n) -> {
                            admin.tenants()
                                    .createTenant(
                                            CreateTenantRequest.newBuilder()
                                                    .setTenant(aTenant(n))
                                                    .build());
                            s.tenants()
                                    .deleteTenant(
                                            DeleteTenantRequest.newBuilder().setName(n).build());
                        },
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        // apps
        ops.add(
                new Op(
                        "CreateApp in its own tenant",
                        (s, n) ->
                                s.apps()
                                        .createApp(
                                                CreateAppRequest.newBuilder()
                                                        .setApp(anApp("alpha", n, 1))
                                                        .build()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "CreateApp in another tenant",
                        (s, n) ->
                                s.apps()
                                        .createApp(
                                                CreateAppRequest.newBuilder()
                                                        .setApp(anApp("beta", n, 1))
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "GetApp of its own tenant",
                        (s, n) ->
                                s.apps()
                                        .getApp(
                                                GetAppRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .setName("web")
                                                        .build()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "GetApp of another tenant",
                        (s, n) ->
                                s.apps()
                                        .getApp(
                                                GetAppRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .setName("web")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ExplainApp of its own tenant",
                        (s, n) ->
                                s.apps()
                                        .explainApp(
                                                ExplainAppRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .setName("web")
                                                        .build()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "ExplainApp of another tenant",
                        (s, n) ->
                                s.apps()
                                        .explainApp(
                                                ExplainAppRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .setName("web")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "GetEffectiveSpec of its own tenant",
                        (s, n) ->
                                s.apps()
                                        .getEffectiveSpec(
                                                GetEffectiveSpecRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .setName("web")
                                                        .setCluster("c1")
                                                        .build()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "GetEffectiveSpec of another tenant",
                        (s, n) ->
                                s.apps()
                                        .getEffectiveSpec(
                                                GetEffectiveSpecRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .setName("web")
                                                        .setCluster("c1")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ListApps of another tenant",
                        (s, n) ->
                                s.apps()
                                        .listApps(
                                                ListAppsRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ListApps of every visible tenant",
                        (s, n) -> s.apps().listApps(ListAppsRequest.getDefaultInstance()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "UpdateApp of its own tenant",
                        (s, n) ->
                                s.apps()
                                        .updateApp(
                                                UpdateAppRequest.newBuilder()
                                                        .setApp(anApp("alpha", "web", 1))
                                                        .build()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ScaleApp of its own tenant",
                        (s, n) ->
                                s.apps()
                                        .scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .setName("web")
                                                        .setReplicas(1)
                                                        .build()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ScaleApp of another tenant",
                        (s, n) ->
                                s.apps()
                                        .scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .setName("web")
                                                        .setReplicas(1)
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "DeleteApp of its own tenant",
                        (s, n) -> {
                            admin.apps()
                                    .createApp(
                                            CreateAppRequest.newBuilder()
                                                    .setApp(anApp("alpha", n, 1))
                                                    .build());
                            s.apps()
                                    .deleteApp(
                                            DeleteAppRequest.newBuilder()
                                                    .setTenant("alpha")
                                                    .setName(n)
                                                    .build());
                        },
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "DeleteApp of another tenant",
                        (s, n) -> {
                            admin.apps()
                                    .createApp(
                                            CreateAppRequest.newBuilder()
                                                    .setApp(anApp("beta", n, 1))
                                                    .build());
                            s.apps()
                                    .deleteApp(
                                            DeleteAppRequest.newBuilder()
                                                    .setTenant("beta")
                                                    .setName(n)
                                                    .build());
                        },
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        // clusters
        ops.add(
                new Op(
                        "GetCluster",
                        (s, n) ->
                                s.clusters()
                                        .getCluster(
                                                GetClusterRequest.newBuilder()
                                                        .setName("c1")
                                                        .build()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "ListClusters",
                        (s, n) ->
                                s.clusters().listClusters(ListClustersRequest.getDefaultInstance()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "CreateCluster",
                        (s, n) ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(aCluster(n))
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "UpdateCluster",
                        (s, n) ->
                                s.clusters()
                                        .updateCluster(
                                                UpdateClusterRequest.newBuilder()
                                                        .setCluster(aCluster("c1"))
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "CordonCluster",
                        (s, n) ->
                                s.clusters()
                                        .cordonCluster(
                                                CordonClusterRequest.newBuilder()
                                                        .setName("c1")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "UncordonCluster",
                        (s, n) ->
                                s.clusters()
                                        .uncordonCluster(
                                                UncordonClusterRequest.newBuilder()
                                                        .setName("c1")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "DrainCluster",
                        (s, n) -> {
                            admin.clusters()
                                    .createCluster(
                                            CreateClusterRequest.newBuilder()
                                                    .setCluster(aCluster(n))
                                                    .build());
                            s.clusters()
                                    .drainCluster(
                                            DrainClusterRequest.newBuilder().setName(n).build());
                        },
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "DeleteCluster",
                        (s, n) -> {
                            admin.clusters()
                                    .createCluster(
                                            CreateClusterRequest.newBuilder()
                                                    .setCluster(aCluster(n))
                                                    .build());
                            s.clusters()
                                    .deleteCluster(
                                            DeleteClusterRequest.newBuilder().setName(n).build());
                        },
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        // capacity
        ops.add(
                new Op(
                        "GetWaterLevels",
                        (s, n) ->
                                s.capacity()
                                        .getWaterLevels(GetWaterLevelsRequest.getDefaultInstance()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "GetTenantUsage of its own tenant",
                        (s, n) ->
                                s.capacity()
                                        .getTenantUsage(
                                                GetTenantUsageRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .build()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "GetTenantUsage of another tenant",
                        (s, n) ->
                                s.capacity()
                                        .getTenantUsage(
                                                GetTenantUsageRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "WhatIfApps of its own tenant's app",
                        (s, n) ->
                                s.capacity()
                                        .whatIfApps(
                                                WhatIfAppsRequest.newBuilder()
                                                        .addScales(
                                                                WhatIfScale.newBuilder()
                                                                        .setTenant("alpha")
                                                                        .setName("web")
                                                                        .setReplicas(2))
                                                        .build()),
                        OK,
                        OK,
                        OK));
        ops.add(
                new Op(
                        "WhatIfApps of another tenant's app",
                        (s, n) ->
                                s.capacity()
                                        .whatIfApps(
                                                WhatIfAppsRequest.newBuilder()
                                                        .addScales(
                                                                WhatIfScale.newBuilder()
                                                                        .setTenant("beta")
                                                                        .setName("web")
                                                                        .setReplicas(2))
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "WhatIfClusterLoss",
                        (s, n) ->
                                s.capacity()
                                        .whatIfClusterLoss(
                                                WhatIfClusterLossRequest.newBuilder()
                                                        .addClusters("c1")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        // tokens
        ops.add(
                new Op(
                        "CreateToken for its own tenant",
                        (s, n) ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.API)
                                                        .setRole(Role.TENANT_VIEWER)
                                                        .setTenant("alpha")
                                                        .build()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "CreateToken for another tenant",
                        (s, n) ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.API)
                                                        .setRole(Role.TENANT_VIEWER)
                                                        .setTenant("beta")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "CreateToken of the platform-admin role",
                        (s, n) ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.API)
                                                        .setRole(Role.PLATFORM_ADMIN)
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "CreateToken of a bootstrap token",
                        (s, n) ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.BOOTSTRAP)
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ListTokens of its own tenant",
                        (s, n) ->
                                s.tokens()
                                        .listTokens(
                                                ListTokensRequest.newBuilder()
                                                        .setTenant("alpha")
                                                        .build()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ListTokens of another tenant",
                        (s, n) ->
                                s.tokens()
                                        .listTokens(
                                                ListTokensRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "RevokeToken of its own tenant",
                        (s, n) ->
                                s.tokens()
                                        .revokeToken(
                                                RevokeTokenRequest.newBuilder()
                                                        .setId(tokenId("alpha"))
                                                        .build()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "RevokeToken of another tenant",
                        (s, n) ->
                                s.tokens()
                                        .revokeToken(
                                                RevokeTokenRequest.newBuilder()
                                                        .setId(tokenId("beta"))
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        // audit
        ops.add(
                new Op(
                        "ListAuditEvents of its own tenant",
                        (s, n) ->
                                s.audit()
                                        .listAuditEvents(
                                                ListAuditEventsRequest.getDefaultInstance()),
                        OK,
                        OK,
                        PERMISSION_DENIED));
        ops.add(
                new Op(
                        "ListAuditEvents of another tenant",
                        (s, n) ->
                                s.audit()
                                        .listAuditEvents(
                                                ListAuditEventsRequest.newBuilder()
                                                        .setTenant("beta")
                                                        .build()),
                        OK,
                        PERMISSION_DENIED,
                        PERMISSION_DENIED));
        return ops;
    }

    private String tokenId(String tenant) {
        return admin.tokens()
                .createToken(
                        CreateTokenRequest.newBuilder()
                                .setKind(TokenKind.API)
                                .setRole(Role.TENANT_VIEWER)
                                .setTenant(tenant)
                                .build())
                .getToken()
                .getId();
    }

    Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Op op : ops()) {
            for (Caller caller : Caller.values()) {
                Status.Code expected =
                        switch (caller) {
                            case PLATFORM_ADMIN -> op.admin();
                            case TENANT_ADMIN -> op.tenantAdmin();
                            case TENANT_VIEWER -> op.tenantViewer();
                            case NO_TOKEN, UNKNOWN_TOKEN -> UNAUTHENTICATED;
                        };
                rows.add(
                        arguments(
                                Named.of(
                                        op.name()
                                                + " as "
                                                + caller.name().toLowerCase().replace('_', '-')
                                                + " is "
                                                + expected,
                                        op),
                                caller,
                                expected));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void callerGetsTheExpectedStatus(Op op, Caller caller, Status.Code expected) {
        Status.Code actual;
        try {
            op.call().accept(stubs.get(caller), fresh());
            actual = OK;
        } catch (StatusRuntimeException e) {
            actual = e.getStatus().getCode();
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    @DisplayName("tenant roles list only their own tenant and its apps")
    void listsAreFiltered() {
        Stubs viewer = stubs.get(Caller.TENANT_VIEWER);
        assertThat(
                        viewer.tenants()
                                .listTenants(ListTenantsRequest.getDefaultInstance())
                                .getTenantsList())
                .extracting(Tenant::getName)
                .containsExactly("alpha");
        assertThat(viewer.apps().listApps(ListAppsRequest.getDefaultInstance()).getAppsList())
                .extracting(App::getTenant)
                .containsOnly("alpha");
        assertThat(
                        admin.tenants()
                                .listTenants(ListTenantsRequest.getDefaultInstance())
                                .getTenantsList())
                .extracting(Tenant::getName)
                .contains("alpha", "beta");
    }

    @Test
    @DisplayName("every write is audited with who, what and the result, refused ones included")
    void writesAreAudited() {
        Stubs viewer = stubs.get(Caller.TENANT_VIEWER);
        try {
            viewer.apps()
                    .scaleApp(
                            ScaleAppRequest.newBuilder()
                                    .setTenant("alpha")
                                    .setName("web")
                                    .setReplicas(2)
                                    .build());
        } catch (StatusRuntimeException expected) {
            assertThat(expected.getStatus().getCode()).isEqualTo(PERMISSION_DENIED);
        }
        try {
            stubs.get(Caller.NO_TOKEN)
                    .apps()
                    .scaleApp(
                            ScaleAppRequest.newBuilder()
                                    .setTenant("alpha")
                                    .setName("web")
                                    .setReplicas(2)
                                    .build());
        } catch (StatusRuntimeException expected) {
            assertThat(expected.getStatus().getCode()).isEqualTo(UNAUTHENTICATED);
        }
        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("alpha")
                                .setName("web")
                                .setReplicas(1)
                                .build());
        List<AuditEvent> events =
                admin.audit()
                        .listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(3).build())
                        .getEventsList();
        assertThat(events)
                .extracting(AuditEvent::getResult)
                .containsExactly("OK", "UNAUTHENTICATED", "PERMISSION_DENIED");
        assertThat(events)
                .extracting(AuditEvent::getMethod)
                .containsOnly("fedplane.v1.AppService/ScaleApp");
        // An unauthenticated call is refused before its body is read: its record names the service
        // only.
        assertThat(events)
                .extracting(AuditEvent::getTarget)
                .containsExactly("app/alpha/web", "app", "app/alpha/web");
        assertThat(
                        admin.audit()
                                .listAuditEvents(
                                        ListAuditEventsRequest.newBuilder()
                                                .setTenant("alpha")
                                                .setPageSize(2)
                                                .build())
                                .getEventsList())
                .extracting(AuditEvent::getResult)
                .containsExactly("OK", "PERMISSION_DENIED");
        assertThat(events.get(0).getActorRole()).isEqualTo("platform-admin");
        assertThat(events.get(1).getActor()).isEqualTo("anonymous");
        assertThat(events.get(2).getActorRole()).isEqualTo("tenant-viewer");
        assertThat(events.get(0).getTimeUnixMillis()).isPositive();
    }
}
