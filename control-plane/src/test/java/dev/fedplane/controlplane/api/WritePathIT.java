package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.TestClock;
import dev.fedplane.proto.v1.AuditEvent;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.CreateTokenResponse;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.ListAppsRequest;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.RevokeTokenRequest;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TokenKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The API write path on both stores: a write's audit row is written in the write's own transaction
 * (it commits with the write or not at all; refused calls are still audited), admission and the
 * tenant's use are one statement that never lets concurrent creates overshoot the quota, and
 * authenticated tokens are cached for a short TTL (a revocation on this instance applies at once,
 * one elsewhere within the TTL).
 */
class WritePathIT {
    private ControlPlaneHarness cp;
    private TestClock clock;

    @AfterEach
    void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    private Stubs start(ControlPlaneHarness.Store store) {
        String clockName = "write-path-" + UUID.randomUUID();
        clock = TestClock.named(clockName);
        cp = ControlPlaneHarness.start(store, Map.of("fedplane.test.clock", clockName));
        return Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
    }

    private void sql(String statement) {
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> tx = cp.context().getBean(TransactionOperations.class);
        tx.executeWrite(
                status -> {
                    try (Statement s = status.getConnection().createStatement()) {
                        s.executeUpdate(statement);
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                });
    }

    private static List<AuditEvent> auditOf(Stubs admin, String tenant, String method) {
        List<AuditEvent> out = new ArrayList<>();
        for (AuditEvent e :
                admin.audit()
                        .listAuditEvents(
                                ListAuditEventsRequest.newBuilder()
                                        .setTenant(tenant)
                                        .setPageSize(500)
                                        .build())
                        .getEventsList()) {
            if (e.getMethod().endsWith("/" + method)) {
                out.add(e);
            }
        }
        return out;
    }

    private static int appsOf(Stubs admin, String tenant) {
        return admin.apps()
                .listApps(ListAppsRequest.newBuilder().setTenant(tenant).setPageSize(500).build())
                .getAppsCount();
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "an app write and its audit row commit together: one row per call, and no app when its audit row cannot be written")
    @EnumSource(ControlPlaneHarness.Store.class)
    void theAuditRowIsPartOfTheWrite(ControlPlaneHarness.Store store) {
        Stubs admin = start(store);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 1)).build());
        admin.apps()
                .scaleApp(
                        ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("web")
                                .setReplicas(2)
                                .build());
        assertThat(auditOf(admin, "shop", "CreateApp"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.getResult()).isEqualTo("OK");
                            assertThat(e.getTarget()).contains("shop/web");
                        });
        assertThat(auditOf(admin, "shop", "ScaleApp"))
                .singleElement()
                .extracting(AuditEvent::getResult)
                .isEqualTo("OK");

        // The audit table cannot be written: the write fails whole (its transaction took the app
        // row, the revision and the tenant's use with it).
        TenantDemand before = cp.context().getBean(AppStore.class).summedUsageOf("shop");
        sql("ALTER TABLE audit_events RENAME TO audit_events_away");
        try {
            assertThatThrownBy(
                            () ->
                                    admin.apps()
                                            .createApp(
                                                    CreateAppRequest.newBuilder()
                                                            .setApp(anApp("shop", "api", 1))
                                                            .build()))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            sql("ALTER TABLE audit_events_away RENAME TO audit_events");
        }
        assertThat(appsOf(admin, "shop")).isEqualTo(1);
        assertThatThrownBy(
                        () ->
                                admin.apps()
                                        .getApp(
                                                GetAppRequest.newBuilder()
                                                        .setTenant("shop")
                                                        .setName("api")
                                                        .build()))
                .extracting(e -> Status.fromThrowable(e).getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        AppStore apps = cp.context().getBean(AppStore.class);
        assertThat(apps.usageOf("shop")).isEqualTo(before);
        assertThat(apps.summedUsageOf("shop")).isEqualTo(before);
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "a scale without precondition that waited for the tenant's lock keeps the image a write holding that lock committed")
    @EnumSource(ControlPlaneHarness.Store.class)
    void aWaitingScaleKeepsTheWriteBeforeIt(ControlPlaneHarness.Store store) throws Exception {
        Stubs admin = start(store);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("shop", "web", 1)).build());
        AppStore apps = cp.context().getBean(AppStore.class);
        AppService service = cp.context().getBean(AppService.class);
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> tx = cp.context().getBean(TransactionOperations.class);
        App.Spec before = apps.find("shop", "web").orElseThrow().app().spec();
        String newImage = before.image() + "-next";
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch scaleWaits = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // One transaction takes the tenant's lock, waits until the scale call waits for that
            // lock (it has read the app by then), changes the image and commits.
            var writer =
                    pool.submit(
                            () ->
                                    tx.executeWrite(
                                            status -> {
                                                apps.lockUsage("shop");
                                                locked.countDown();
                                                await(scaleWaits);
                                                service.update(
                                                        dev.fedplane.controlplane.auth.Principal
                                                                .SYSTEM,
                                                        "shop",
                                                        "web",
                                                        0,
                                                        before.withTemplate(
                                                                new dev.fedplane.controlplane.app
                                                                        .PodTemplate(
                                                                        newImage,
                                                                        before.cpuMillis(),
                                                                        before.memoryMiB(),
                                                                        before.ports(),
                                                                        before.env())));
                                                return null;
                                            }));
            await(locked);
            var scale =
                    pool.submit(
                            () ->
                                    admin.apps()
                                            .scaleApp(
                                                    ScaleAppRequest.newBuilder()
                                                            .setTenant("shop")
                                                            .setName("web")
                                                            .setReplicas(3)
                                                            .build()));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> sessionsWaitingForALock(store) > 0);
            scaleWaits.countDown();
            writer.get(30, TimeUnit.SECONDS);
            dev.fedplane.proto.v1.App scaled = scale.get(30, TimeUnit.SECONDS);
            assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);
            assertThat(scaled.getSpec().getImage()).isEqualTo(newImage);
        } finally {
            scaleWaits.countDown();
            pool.shutdownNow();
        }
        App stored = apps.find("shop", "web").orElseThrow().app();
        assertThat(stored.spec().image()).isEqualTo(newImage);
        assertThat(stored.spec().replicas()).isEqualTo(3);
        assertThat(apps.usageOf("shop")).isEqualTo(apps.summedUsageOf("shop"));
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the other transaction");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sessions of this database now waiting for a lock on a {@code tenant_usage} row. */
    private long sessionsWaitingForALock(ControlPlaneHarness.Store store) {
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> tx = cp.context().getBean(TransactionOperations.class);
        String query =
                store == ControlPlaneHarness.Store.POSTGRES
                        ? "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                + "AND datname = current_database() AND query LIKE '%tenant_usage%'"
                        : "SELECT count(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL "
                                + "AND executing_statement LIKE '%tenant_usage%'";
        return tx.executeRead(
                status -> {
                    try (Statement st = status.getConnection().createStatement();
                            java.sql.ResultSet r = st.executeQuery(query)) {
                        r.next();
                        return r.getLong(1);
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "concurrent creates at the quota's edge: exactly the quota is admitted, the use equals the apps' sum, every refusal is audited")
    @EnumSource(ControlPlaneHarness.Store.class)
    void concurrentCreatesNeverOvershootTheQuota(ControlPlaneHarness.Store store) throws Exception {
        Stubs admin = start(store);
        // Replicas quota 6: six one-replica apps fit, the seventh and later do not.
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("edge", 1_000_000, 1_000_000, 6))
                                .build());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                String name = "app-" + i;
                calls.add(
                        CompletableFuture.runAsync(
                                () -> {
                                    try {
                                        admin.apps()
                                                .createApp(
                                                        CreateAppRequest.newBuilder()
                                                                .setApp(anApp("edge", name, 1))
                                                                .build());
                                        ok.incrementAndGet();
                                    } catch (StatusRuntimeException e) {
                                        assertThat(e.getStatus().getCode())
                                                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                                        refused.incrementAndGet();
                                    }
                                },
                                pool));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok.get()).isEqualTo(6);
        assertThat(refused.get()).isEqualTo(10);
        assertThat(appsOf(admin, "edge")).isEqualTo(6);
        AppStore apps = cp.context().getBean(AppStore.class);
        assertThat(apps.usageOf("edge").replicas()).isEqualTo(6);
        assertThat(apps.usageOf("edge")).isEqualTo(apps.summedUsageOf("edge"));
        List<AuditEvent> audited = auditOf(admin, "edge", "CreateApp");
        assertThat(audited).hasSize(16);
        assertThat(audited.stream().filter(e -> e.getResult().equals("OK"))).hasSize(6);
        assertThat(audited.stream().filter(e -> e.getResult().equals("RESOURCE_EXHAUSTED")))
                .hasSize(10);
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "a token revoked on this instance is refused at once; one revoked elsewhere is refused once the cache's TTL passed")
    @EnumSource(ControlPlaneHarness.Store.class)
    void revokedTokensAreHonoured(ControlPlaneHarness.Store store) {
        Stubs admin = start(store);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        CreateTokenResponse here = viewerToken(admin);
        CreateTokenResponse elsewhere = viewerToken(admin);
        Stubs byHere = Stubs.of(cp.channel(), here.getSecret());
        Stubs byElsewhere = Stubs.of(cp.channel(), elsewhere.getSecret());
        assertThat(appsOf(byHere, "shop")).isZero();
        assertThat(appsOf(byElsewhere, "shop")).isZero(); // both cached now

        admin.tokens()
                .revokeToken(
                        RevokeTokenRequest.newBuilder().setId(here.getToken().getId()).build());
        assertThatThrownBy(() -> appsOf(byHere, "shop"))
                .extracting(e -> Status.fromThrowable(e).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);

        // Another instance's revocation reaches this one's store only: believed until the TTL.
        sql("UPDATE tokens SET revoked = TRUE WHERE id = '" + elsewhere.getToken().getId() + "'");
        assertThat(appsOf(byElsewhere, "shop")).isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> appsOf(byElsewhere, "shop"))
                .extracting(e -> Status.fromThrowable(e).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    private static CreateTokenResponse viewerToken(Stubs admin) {
        return admin.tokens()
                .createToken(
                        CreateTokenRequest.newBuilder()
                                .setKind(TokenKind.API)
                                .setRole(Role.TENANT_VIEWER)
                                .setTenant("shop")
                                .build());
    }
}
