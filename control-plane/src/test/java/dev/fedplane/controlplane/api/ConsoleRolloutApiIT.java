package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.controlplane.agent.LiveClusters;
import dev.fedplane.controlplane.testing.ConsoleHttp;
import dev.fedplane.controlplane.testing.ConsoleHttp.Answer;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.Fixtures;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.controlplane.testing.TestClock;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AuditEvent;
import dev.fedplane.proto.v1.ClusterOverride;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.RolloutStage;
import dev.fedplane.proto.v1.RolloutStrategy;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.UpdateAppRequest;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadStatus;
import dev.fedplane.proto.v1.WorkloadStatusReport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console's rollout API ({@code /api/v1/apps/{tenant}/{name}/rollout}) against a real control
 * plane (H2, HTTP and gRPC on free ports) with a test clock, over three simulated clusters on the
 * real agent protocol (bj-1 and bj-2 with idc=bj, sh-1 with idc=sh), each reporting every workload
 * it was sent as rolled out (its revision, all replicas updated, ready and available). The app's
 * strategy: stage bj (idc=bj, one cluster at a time, 30 s soak, MANUAL gate), then rest; an
 * override gives the bj clusters their own registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRolloutApiIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "registry.example/web:1.0";
    private static final String V2 = "registry.example/web:2.0";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String clockName = "console-rollout-it-" + System.nanoTime();
    private final Map<String, SimCluster> sims = new ConcurrentHashMap<>();
    private TestClock clock;
    private ControlPlaneHarness cp;
    private Stubs admin;
    private String shopViewer;
    private String shopAdmin;
    private String otherAdmin;

    @BeforeAll
    void start() {
        clock = TestClock.named(clockName);
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.test.clock", clockName,
                                "fedplane.rollouts.tick-interval", "50ms",
                                "fedplane.reconciler.resync-interval", "1s",
                                "fedplane.agent.heartbeat-interval", "1h",
                                "fedplane.health.lost-after", "10h",
                                "fedplane.health.check-interval", "1000h",
                                "fedplane.console.ping-interval", "1s"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        String bootstrap =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(3)
                                        .setTtlSeconds(600)
                                        .build())
                        .getSecret();
        register("bj-1", Map.of("idc", "bj"), bootstrap);
        register("bj-2", Map.of("idc", "bj"), bootstrap);
        register("sh-1", Map.of("idc", "sh"), bootstrap);
        for (String t : List.of("shop", "other")) {
            admin.tenants()
                    .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant(t)).build());
        }
        shopViewer = token(Role.TENANT_VIEWER, "shop");
        shopAdmin = token(Role.TENANT_ADMIN, "shop");
        otherAdmin = token(Role.TENANT_ADMIN, "other");
    }

    @AfterAll
    void stop() {
        sims.values().forEach(SimCluster::close);
        cp.close();
    }

    private final ConsoleHttp console = new ConsoleHttp(() -> cp.httpPort(), WAIT);

    private Answer get(String path, String token) {
        return console.get(path, token);
    }

    private Answer post(String path, String token, String body) {
        return console.post(path, token, body);
    }

    private Answer call(String method, String path, String token, String body) {
        return console.call(method, path, token, body);
    }

    private CompletableFuture<?> follow(String token, BlockingQueue<String> out) {
        return console.follow(token, out);
    }

    private String next(BlockingQueue<String> q, String name) throws InterruptedException {
        return console.next(q, name);
    }

    private String nextChange(BlockingQueue<String> q, String containing)
            throws InterruptedException {
        return console.nextChange(q, containing);
    }

    @Test
    @DisplayName(
            "a staged rollout read, paused, resumed, approved and rolled back through the HTTP API, with roles, validation, audit, live events and effective specs")
    void rolloutThroughTheConsoleApi() throws Exception {
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant("shop")
                                                .setName("web")
                                                .setSpec(
                                                        Fixtures.aSpec(6)
                                                                .setImage(V1)
                                                                .setRollout(strategy())
                                                                .addOverrides(
                                                                        ClusterOverride.newBuilder()
                                                                                .setName(
                                                                                        "bj-registry")
                                                                                .setSelector(
                                                                                        ClusterSelector
                                                                                                .newBuilder()
                                                                                                .putMatchLabels(
                                                                                                        "idc",
                                                                                                        "bj"))
                                                                                .setImageRegistry(
                                                                                        "harbor.bj.example"))))
                                .build());
        awaitEverywhere(1);

        // No rollout yet: the app detail says so and the rollout itself is NOT_FOUND.
        Answer detail = get("/api/v1/apps/shop/web", shopViewer);
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.body().get("rollout").isNull()).isTrue();
        Answer none = get("/api/v1/apps/shop/web/rollout", shopViewer);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.body().get("code").asText()).isEqualTo("NOT_FOUND");
        // Each cluster's effective spec rides in the explanation, with the overrides applied.
        JsonNode bj1 = decision(detail.body(), "bj-1");
        assertThat(bj1.get("effective").get("image").asText())
                .isEqualTo("harbor.bj.example/web:1.0");
        assertThat(bj1.get("effective").get("appliedOverrides").toString())
                .isEqualTo("[\"bj-registry\"]");
        JsonNode sh1 = decision(detail.body(), "sh-1");
        assertThat(sh1.get("effective").get("image").asText()).isEqualTo(V1);
        assertThat(sh1.get("effective").get("appliedOverrides")).isEmpty();

        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        BlockingQueue<String> otherEvents = new LinkedBlockingQueue<>();
        CompletableFuture<?> following = follow(shopViewer, events);
        CompletableFuture<?> otherFollowing = follow(otherAdmin, otherEvents);
        try {
            next(events, "hello");
            next(otherEvents, "hello");
            updateImage(V2);

            // Stage bj: one cluster at a time, then both soak (30 s of the test clock).
            JsonNode r = awaitRollout(s -> stage(s, "bj").get("state").asText().equals("SOAKING"));
            assertThat(r.get("fromRevision").asLong()).isEqualTo(1);
            assertThat(r.get("toRevision").asLong()).isEqualTo(2);
            assertThat(r.get("currentStage").asInt()).isZero();
            assertThat(stage(r, "bj").get("gate").asText()).isEqualTo("MANUAL");
            assertThat(stage(r, "bj").get("soakSeconds").asLong()).isEqualTo(30);
            assertThat(clusters(stage(r, "bj"))).containsExactly("bj-1:DONE", "bj-2:DONE");
            assertThat(clusters(stage(r, "rest"))).containsExactly("sh-1:PENDING");
            JsonNode bj2 = stage(r, "bj").get("clusters").get(1);
            assertThat(bj2.get("revision").asLong()).isEqualTo(2);
            assertThat(bj2.get("reportedRevision").asLong()).isEqualTo(2);
            assertThat(bj2.get("desired").asInt()).isEqualTo(2);
            assertThat(bj2.get("updated").asInt()).isEqualTo(2);
            assertThat(bj2.get("ready").asInt()).isEqualTo(2);
            assertThat(bj2.get("available").asInt()).isEqualTo(2);
            assertThat(stage(r, "rest").get("clusters").get(0).get("revision").asLong())
                    .isEqualTo(1);
            assertThat(r.get("strategy").get("stages").get(0).get("clusterSelector").toString())
                    .isEqualTo("{\"idc\":\"bj\"}");
            long id = r.get("rolloutId").asLong();
            // The app detail carries the same rollout.
            assertThat(
                            get("/api/v1/apps/shop/web", shopViewer)
                                    .body()
                                    .get("rollout")
                                    .get("rolloutId")
                                    .asLong())
                    .isEqualTo(id);
            // Live: the tenant's viewer hears the rollout; another tenant does not.
            assertThat(nextChange(events, "\"kind\":\"rollout\"")).contains("\"name\":\"web\"");

            // Roles: a viewer reads but may not write; another tenant's admin may not read.
            Answer viewerPause = post("/api/v1/apps/shop/web/rollout/pause", shopViewer, "{}");
            assertThat(viewerPause.status()).isEqualTo(403);
            assertThat(viewerPause.body().get("code").asText()).isEqualTo("PERMISSION_DENIED");
            Answer otherRead = get("/api/v1/apps/shop/web/rollout", otherAdmin);
            assertThat(otherRead.status()).isEqualTo(403);
            Answer otherApprove = post("/api/v1/apps/shop/web/rollout/approve", otherAdmin, "{}");
            assertThat(otherApprove.status()).isEqualTo(403);
            Answer anonymous = post("/api/v1/apps/shop/web/rollout/pause", null, "{}");
            assertThat(anonymous.status()).isEqualTo(401);

            // Validation names the field; a state the call does not fit is a precondition.
            assertField(
                    post("/api/v1/apps/shop/web/rollout/pause", shopAdmin, "{\"rolloutId\":-1}"),
                    400,
                    "INVALID_ARGUMENT",
                    "rollout_id");
            assertField(
                    post(
                            "/api/v1/apps/shop/web/rollout/approve",
                            shopAdmin,
                            "{\"stage\":\"Not A Stage\"}"),
                    400,
                    "INVALID_ARGUMENT",
                    "stage");
            assertField(
                    post(
                            "/api/v1/apps/shop/web/rollout/rollback",
                            shopAdmin,
                            "{\"toRevision\":-2}"),
                    400,
                    "INVALID_ARGUMENT",
                    "to_revision");
            assertField(
                    post("/api/v1/apps/Shop/web/rollout/resume", shopAdmin, "{}"),
                    400,
                    "INVALID_ARGUMENT",
                    "tenant");
            Answer stale =
                    post(
                            "/api/v1/apps/shop/web/rollout/pause",
                            shopAdmin,
                            "{\"rolloutId\":" + (id + 100) + "}");
            assertThat(stale.status()).isEqualTo(400);
            assertThat(stale.body().get("code").asText()).isEqualTo("FAILED_PRECONDITION");
            assertThat(stale.body().get("message").asText()).contains("is " + id + ", not");
            Answer early = post("/api/v1/apps/shop/web/rollout/approve", shopAdmin, "{}");
            assertThat(early.status()).isEqualTo(400);
            assertThat(early.body().get("code").asText()).isEqualTo("FAILED_PRECONDITION");
            Answer noApp = get("/api/v1/apps/shop/nope/rollout", shopAdmin);
            assertThat(noApp.status()).isEqualTo(404);
            // Nothing of the refused calls changed the rollout.
            assertThat(rollout().get("state").asText()).isEqualTo("PROGRESSING");

            // Pause: the soak does not pass however long it is.
            Answer paused =
                    post(
                            "/api/v1/apps/shop/web/rollout/pause",
                            shopAdmin,
                            "{\"rolloutId\":" + id + "}");
            assertThat(paused.status()).as(paused.raw().body()).isEqualTo(200);
            assertThat(paused.body().get("state").asText()).isEqualTo("PAUSED");
            assertThat(stage(paused.body(), "bj").get("state").asText()).isEqualTo("PAUSED");
            assertThat(nextChange(events, "\"reason\":\"PAUSED\"")).contains("rollout");
            clock.advance(Duration.ofSeconds(120));
            sims.get("bj-1").awaitReports(3);
            JsonNode still = rollout();
            assertThat(still.get("state").asText()).isEqualTo("PAUSED");
            assertThat(still.get("currentStage").asInt()).isZero();
            assertThat(sims.get("sh-1").revision()).isEqualTo(1);
            assertThat(
                            post("/api/v1/apps/shop/web/rollout/pause", shopAdmin, "{}")
                                    .body()
                                    .get("message")
                                    .asText())
                    .contains("it is PAUSED");

            // Resume: the soak is measured again from the runner's next step.
            Answer resumed = post("/api/v1/apps/shop/web/rollout/resume", shopAdmin, null);
            assertThat(resumed.status()).as(resumed.raw().body()).isEqualTo(200);
            assertThat(resumed.body().get("state").asText()).isEqualTo("PROGRESSING");
            awaitRollout(
                    s ->
                            s.get("state").asText().equals("PROGRESSING")
                                    && stage(s, "bj").get("state").asText().equals("SOAKING"));
            clock.advance(Duration.ofSeconds(31));
            r = awaitRollout(s -> s.get("state").asText().equals("WAITING_APPROVAL"));
            assertThat(stage(r, "bj").get("state").asText()).isEqualTo("WAITING_APPROVAL");
            assertThat(sims.get("sh-1").revision()).isEqualTo(1);

            // Approving another stage than the one it waits at is refused; the right one passes.
            Answer wrong =
                    post(
                            "/api/v1/apps/shop/web/rollout/approve",
                            shopAdmin,
                            "{\"stage\":\"rest\"}");
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.body().get("message").asText()).contains("waits at stage bj");
            Answer approved =
                    post(
                            "/api/v1/apps/shop/web/rollout/approve",
                            shopAdmin,
                            "{\"rolloutId\":" + id + ",\"stage\":\"bj\"}");
            assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
            r = awaitRollout(s -> s.get("state").asText().equals("COMPLETED"));
            assertThat(r.get("stages"))
                    .allSatisfy(s -> assertThat(s.get("state").asText()).isEqualTo("SUCCEEDED"));
            awaitEverywhere(2);
            assertThat(
                            get("/api/v1/apps/shop/web", shopViewer)
                                    .body()
                                    .get("rollout")
                                    .get("state")
                                    .asText())
                    .isEqualTo("COMPLETED");
            // Nothing of shop's rollout reached the other tenant's stream.
            assertThat(otherEvents).noneMatch(e -> e.contains("\"tenant\":\"shop\""));
        } finally {
            following.cancel(true);
            otherFollowing.cancel(true);
        }

        // Rollback: to an unknown revision is NOT_FOUND; to revision 1 at once makes revision 3
        // with revision 1's template everywhere, with no staged rollout.
        Answer unknown =
                post("/api/v1/apps/shop/web/rollout/rollback", shopAdmin, "{\"toRevision\":99}");
        assertThat(unknown.status()).isEqualTo(404);
        long rv =
                get("/api/v1/apps/shop/web", shopAdmin)
                        .body()
                        .get("app")
                        .get("resourceVersion")
                        .asLong();
        Answer stalerv =
                post(
                        "/api/v1/apps/shop/web/rollout/rollback",
                        shopAdmin,
                        "{\"toRevision\":1,\"immediate\":true,\"resourceVersion\":"
                                + (rv - 1)
                                + "}");
        assertThat(stalerv.status()).isEqualTo(409);
        Answer back =
                post(
                        "/api/v1/apps/shop/web/rollout/rollback",
                        shopAdmin,
                        "{\"toRevision\":1,\"immediate\":true,\"resourceVersion\":" + rv + "}");
        assertThat(back.status()).as(back.raw().body()).isEqualTo(200);
        assertThat(back.body().get("revision").asLong()).isEqualTo(3);
        assertThat(back.body().get("app").get("image").asText()).isEqualTo(V1);
        assertThat(back.body().get("rollout").isNull()).isTrue();
        awaitEverywhere(3);
        assertThat(sims.get("bj-2").workload().getImage()).isEqualTo("harbor.bj.example/web:1.0");
        assertThat(sims.get("sh-1").workload().getImage()).isEqualTo(V1);

        // Audited under the gRPC method names, target rollout/<tenant>/<app>, refusals included.
        List<AuditEvent> audit = audit();
        for (String m :
                List.of("PauseRollout", "ResumeRollout", "ApproveRolloutStage", "RollbackApp")) {
            assertThat(audit)
                    .as(m)
                    .anySatisfy(
                            e -> {
                                assertThat(e.getMethod())
                                        .isEqualTo("fedplane.v1.RolloutService/" + m);
                                assertThat(e.getActorRole()).isEqualTo("tenant-admin");
                                assertThat(e.getTarget()).isEqualTo("rollout/shop/web");
                                assertThat(e.getTenant()).isEqualTo("shop");
                                assertThat(e.getResult()).isEqualTo("OK");
                            });
        }
        assertThat(audit)
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.RolloutService/PauseRollout");
                            assertThat(e.getActorRole()).isEqualTo("tenant-viewer");
                            assertThat(e.getResult()).isEqualTo("PERMISSION_DENIED");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.RolloutService/ApproveRolloutStage");
                            assertThat(e.getResult()).isEqualTo("FAILED_PRECONDITION");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.RolloutService/PauseRollout");
                            assertThat(e.getActor()).isEqualTo("anonymous");
                            assertThat(e.getResult()).isEqualTo("UNAUTHENTICATED");
                        });
        // Reads are not audited.
        assertThat(audit).noneMatch(e -> e.getMethod().contains("GetRollout"));
        for (SimCluster s : sims.values()) {
            assertThat(s.failures).as("protocol errors on %s", s.name).isEmpty();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static RolloutStrategy strategy() {
        return RolloutStrategy.newBuilder()
                .addStages(
                        RolloutStage.newBuilder()
                                .setName("bj")
                                .putClusterSelector("idc", "bj")
                                .setMaxUnavailableClusters(1)
                                .setSoakSeconds(30)
                                .setGate(RolloutStage.Gate.MANUAL))
                .addStages(RolloutStage.newBuilder().setName("rest"))
                .setMaxSurge(1)
                .setProgressDeadlineSeconds(7 * 24 * 3600)
                .build();
    }

    private void updateImage(String image) {
        App a =
                admin.apps()
                        .getApp(
                                GetAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("web")
                                        .build());
        admin.apps()
                .updateApp(
                        UpdateAppRequest.newBuilder()
                                .setApp(
                                        a.toBuilder()
                                                .setSpec(a.getSpec().toBuilder().setImage(image))
                                                .setResourceVersion(0))
                                .build());
    }

    private void awaitEverywhere(long revision) {
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            for (SimCluster s : sims.values()) {
                                Workload w = s.workload();
                                assertThat(w).as("web on %s", s.name).isNotNull();
                                assertThat(w.getRevision())
                                        .as("web on %s", s.name)
                                        .isEqualTo(revision);
                                assertThat(w.getReplicas()).isEqualTo(2);
                            }
                        });
    }

    private JsonNode rollout() {
        Answer a = get("/api/v1/apps/shop/web/rollout", shopViewer);
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        return a.body();
    }

    private JsonNode awaitRollout(Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> {
                                Answer a = get("/api/v1/apps/shop/web/rollout", shopViewer);
                                last[0] = a.body();
                                return a.status() == 200 && done.test(a.body());
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the rollout is " + last[0], e);
        }
        return last[0];
    }

    private static JsonNode stage(JsonNode rollout, String name) {
        for (JsonNode s : rollout.get("stages")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stage " + name + " in " + rollout);
    }

    private static List<String> clusters(JsonNode stage) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : stage.get("clusters")) {
            out.add(c.get("cluster").asText() + ":" + c.get("state").asText());
        }
        return out;
    }

    private static JsonNode decision(JsonNode detail, String cluster) {
        for (JsonNode d : detail.get("explanation").get("clusters")) {
            if (d.get("cluster").asText().equals(cluster)) {
                return d;
            }
        }
        throw new AssertionError("no verdict for " + cluster + " in " + detail);
    }

    private static void assertField(Answer a, int status, String code, String field) {
        assertThat(a.status()).as(a.raw().body()).isEqualTo(status);
        assertThat(a.body().get("code").asText()).isEqualTo(code);
        assertThat(a.body().get("violations").toString()).contains("\"field\":\"" + field + "\"");
    }

    private List<AuditEvent> audit() {
        return admin.audit()
                .listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(500).build())
                .getEventsList();
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

    private void register(String name, Map<String, String> labels, String bootstrap) {
        ProtocolAgent a = new ProtocolAgent(cp.channel(), name);
        a.register(bootstrap, labels, ProtocolAgent.capacity(64_000, 262_144, 1_100));
        SimCluster s = new SimCluster(name, a);
        sims.put(name, s);
        s.start();
        await().atMost(WAIT)
                .until(
                        () -> {
                            var live = cp.context().getBean(LiveClusters.class).get(name);
                            return live != null && live.health().name().equals("READY");
                        });
    }

    /**
     * A simulated cluster on the real agent protocol: one thread applies what arrives and, every
     * 100 ms, reports each workload as Kubernetes would once the rollout within the cluster is over
     * (its revision, every replica updated, ready and available).
     */
    private static final class SimCluster implements AutoCloseable {
        final String name;
        final ProtocolAgent agent;
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<String, Workload> applied = new ConcurrentHashMap<>();
        private volatile int reports;
        private Thread loop;

        SimCluster(String name, ProtocolAgent agent) {
            this.name = name;
            this.agent = agent;
        }

        void start() {
            agent.connect();
            loop = new Thread(this::run, "sim-" + name);
            loop.setDaemon(true);
            loop.start();
        }

        private void run() {
            long nextReport = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ControlMessage m = agent.received.poll(20, TimeUnit.MILLISECONDS);
                    if (m != null) {
                        agent.apply(m);
                        Map<String, Workload> now = new TreeMap<>();
                        for (Workload w : agent.workloads.values()) {
                            now.put(w.getApp(), w);
                        }
                        applied.keySet().retainAll(now.keySet());
                        applied.putAll(now);
                    }
                    if (System.nanoTime() >= nextReport) {
                        report();
                        nextReport = System.nanoTime() + 100_000_000L;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (AssertionError e) {
                    failures.add(e);
                } catch (RuntimeException e) {
                    // the stream closed at shutdown
                }
            }
        }

        private void report() {
            WorkloadStatusReport.Builder r = WorkloadStatusReport.newBuilder();
            for (Workload w : agent.workloads.values()) {
                r.addWorkloads(
                        WorkloadStatus.newBuilder()
                                .setTenant(w.getTenant())
                                .setApp(w.getApp())
                                .setDesiredReplicas(w.getReplicas())
                                .setReadyReplicas(w.getReplicas())
                                .setRevision(w.getRevision())
                                .setUpdatedReplicas(w.getReplicas())
                                .setAvailableReplicas(w.getReplicas()));
            }
            agent.send(AgentMessage.newBuilder().setStatus(r).build());
            reports++;
        }

        Workload workload() {
            return applied.get("web");
        }

        long revision() {
            Workload w = workload();
            return w == null ? -1 : w.getRevision();
        }

        /** Waits until this cluster sent {@code n} more reports. */
        void awaitReports(int n) {
            int target = reports + n;
            await().atMost(WAIT).until(() -> reports >= target);
        }

        @Override
        public void close() {
            if (loop != null) {
                loop.interrupt();
            }
            agent.close();
        }
    }
}
