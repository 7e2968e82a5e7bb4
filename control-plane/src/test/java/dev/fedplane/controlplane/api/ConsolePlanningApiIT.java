package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.controlplane.testing.ConsoleHttp;
import dev.fedplane.controlplane.testing.ConsoleHttp.Answer;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.Fixtures;
import dev.fedplane.controlplane.testing.TestClock;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.AuditEvent;
import dev.fedplane.proto.v1.BurstPolicy;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateClusterRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.UpdateAppRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console's planning endpoints against a real control plane (H2, a test clock, clusters made
 * through the API with their capacity): what-if ({@code /api/v1/capacity/what-if/...}) with
 * per-cluster water levels before and after, peak events ({@code /api/v1/peak-events}: dry run,
 * create, start by the window, progress, cancel, events, live {@code burst} changes), and app
 * revisions ({@code /api/v1/apps/.../revisions}); roles, validation naming the field, and the audit
 * of the writes under the gRPC method names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePlanningApiIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String clockName = "console-planning-it-" + System.nanoTime();
    private TestClock clock;
    private ControlPlaneHarness cp;
    private Stubs admin;
    private String shopViewer;
    private String shopAdmin;
    private String otherViewer;

    @BeforeAll
    void start() {
        clock = TestClock.named(clockName);
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.test.clock", clockName,
                                "fedplane.burst.tick-interval", "50ms",
                                "fedplane.reconciler.resync-interval", "1s",
                                "fedplane.console.ping-interval", "500ms"));
        admin = Stubs.of(cp.channel(), ADMIN_TOKEN);
        // Two IDC clusters with 10 CPUs each (2 of them already requested by other pods), one
        // cloud.
        cluster("idc-1", "idc", 10_000, 2_000, 0);
        cluster("idc-2", "idc", 10_000, 2_000, 0);
        cluster("cloud-a", "cloud", 10_000, 0, 0.10);
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("shop", 1_000_000, 10_000_000, 14))
                                .build());
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("other")).build());
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("event")).build());
        app("shop", "web", 6);
        app("event", "front", 2);
        awaitPlaced("shop", "web", 6);
        awaitPlaced("event", "front", 2);
        shopViewer = token(Role.TENANT_VIEWER, "shop");
        shopAdmin = token(Role.TENANT_ADMIN, "shop");
        otherViewer = token(Role.TENANT_VIEWER, "other");
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    // ------------------------------------------------------------------ what-if

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
            "what-if apps: per-cluster requested before and after add up to the moved shares; what does not fit is named; a tenant viewer may ask about its own tenant only")
    void whatIfApps() {
        int auditedBefore = audit().size();
        Answer a =
                post(
                        "/api/v1/capacity/what-if/apps",
                        shopViewer,
                        "{\"scales\":[{\"tenant\":\"shop\",\"name\":\"web\",\"replicas\":30}]}");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        JsonNode web = a.body().get("apps").get(0);
        assertThat(web.get("name").asText()).isEqualTo("web");
        assertThat(web.get("replicasBefore").asInt()).isEqualTo(6);
        assertThat(web.get("replicas").asInt()).isEqualTo(30);
        // Quota 14 replicas: 30 would exceed it (and 20 IDC CPUs cannot hold them; cloud is not
        // allowed).
        assertThat(web.get("quotaExceeded").asText()).contains("replicas 30 > quota 14");
        assertThat(web.get("unschedulable").asInt()).isPositive();
        assertThat(a.body().get("summary").get("fits").asBoolean()).isFalse();

        Map<String, Integer> moved = new HashMap<>();
        for (JsonNode s : web.get("shares")) {
            moved.merge(
                    s.get("cluster").asText(),
                    s.get("after").asInt() - s.get("before").asInt(),
                    Integer::sum);
        }
        JsonNode levels = a.body().get("clusters");
        assertThat(levels).isNotEmpty();
        for (JsonNode l : levels) {
            String c = l.get("cluster").asText();
            assertThat(moved).containsKey(c);
            assertThat(l.get("requestedAfter").get("cpuMillis").asLong())
                    .as(c)
                    .isEqualTo(
                            l.get("requestedBefore").get("cpuMillis").asLong()
                                    + 1000L * moved.get(c));
            assertThat(l.get("allocatable").get("cpuMillis").asLong()).isEqualTo(10_000);
            assertThat(l.get("lost").asBoolean()).isFalse();
        }
        // A DIVIDED app: what is placed after plus what is not is the count asked for.
        assertThat(moved.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(30 - web.get("unschedulable").asInt() - 6);

        Answer create =
                post(
                        "/api/v1/capacity/what-if/apps",
                        shopAdmin,
                        "{\"creates\":[{\"tenant\":\"shop\",\"name\":\"new-one\",\"image\":\"registry.example/x:1\",\"replicas\":2,\"cpuMillis\":1000,\"memoryMiB\":256}]}");
        assertThat(create.status()).as(create.text()).isEqualTo(200);
        assertThat(create.body().get("apps").get(0).get("newApp").asBoolean()).isTrue();
        assertThat(create.body().get("summary").get("fits").asBoolean()).isTrue();
        assertThat(get("/api/v1/apps/shop/new-one", ADMIN_TOKEN).status())
                .as("a what-if creates nothing")
                .isEqualTo(404);

        Answer denied =
                post(
                        "/api/v1/capacity/what-if/apps",
                        otherViewer,
                        "{\"scales\":[{\"tenant\":\"shop\",\"name\":\"web\",\"replicas\":3}]}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().get("message").asText()).contains("may not read tenant shop");

        assertThat(audit().size())
                .as("what-if changes nothing and is not audited")
                .isEqualTo(auditedBefore);
    }

    @Test
    @DisplayName(
            "what-if input errors are 400 naming the field; an unknown app is 404; no token is 401")
    void whatIfErrors() {
        assertField(post("/api/v1/capacity/what-if/apps", ADMIN_TOKEN, "{}"), "scales");
        assertField(
                post(
                        "/api/v1/capacity/what-if/apps",
                        ADMIN_TOKEN,
                        "{\"scales\":[{\"tenant\":\"shop\",\"name\":\"web\"}]}"),
                "scales[0].replicas");
        assertField(
                post(
                        "/api/v1/capacity/what-if/apps",
                        ADMIN_TOKEN,
                        "{\"scales\":[{\"tenant\":\"shop\",\"name\":\"web\",\"replicas\":-3}]}"),
                "scales[0].replicas");
        assertField(
                post(
                        "/api/v1/capacity/what-if/apps",
                        ADMIN_TOKEN,
                        "{\"creates\":[{\"tenant\":\"shop\",\"name\":\"x\",\"image\":\"i\",\"replicas\":1,\"type\":\"SPREAD\"}]}"),
                "creates[0].spec.placement.replicaScheduling.type");
        Answer missing =
                post(
                        "/api/v1/capacity/what-if/apps",
                        ADMIN_TOKEN,
                        "{\"scales\":[{\"tenant\":\"shop\",\"name\":\"nope\",\"replicas\":3}]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("message").asText()).isEqualTo("app shop/nope not found");
        assertThat(post("/api/v1/capacity/what-if/apps", null, "{}").status()).isEqualTo(401);

        assertField(post("/api/v1/capacity/what-if/cluster-loss", ADMIN_TOKEN, "{}"), "clusters");
        assertField(
                post(
                        "/api/v1/capacity/what-if/cluster-loss",
                        ADMIN_TOKEN,
                        "{\"idc\":\"no good!\"}"),
                "idc");
        Answer unknown =
                post(
                        "/api/v1/capacity/what-if/cluster-loss",
                        ADMIN_TOKEN,
                        "{\"clusters\":[\"idc-9\"]}");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    @DisplayName(
            "what-if cluster loss: the lost cluster is shown lost, its replicas move elsewhere; platform-admin only")
    void whatIfClusterLoss() {
        Answer a =
                post(
                        "/api/v1/capacity/what-if/cluster-loss",
                        ADMIN_TOKEN,
                        "{\"clusters\":[\"idc-1\"]}");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.body().get("lostClusters"))
                .extracting(JsonNode::asText)
                .containsExactly("idc-1");
        JsonNode lost = null;
        for (JsonNode l : a.body().get("clusters")) {
            if (l.get("cluster").asText().equals("idc-1")) {
                lost = l;
            }
        }
        assertThat(lost).as(a.text()).isNotNull();
        assertThat(lost.get("lost").asBoolean()).isTrue();
        int lostReplicas = a.body().get("summary").get("lostReplicas").asInt();
        assertThat(lostReplicas).isPositive();
        // What idc-1 ran leaves it in the answer's "after".
        assertThat(lost.get("requestedAfter").get("pods").asLong())
                .isEqualTo(lost.get("requestedBefore").get("pods").asLong() - lostReplicas);

        assertThat(
                        post(
                                        "/api/v1/capacity/what-if/cluster-loss",
                                        shopAdmin,
                                        "{\"clusters\":[\"idc-1\"]}")
                                .status())
                .isEqualTo(403);
    }

    // ------------------------------------------------------------------ peak events

    @Test
    @DisplayName(
            "peak events: dry run, create, the window starts it and the progress is live, cancel scales back; writes audited, refusals too; only platform-admins see or act")
    void peakEvents() throws Exception {
        long now = clock.millis();
        String spec =
                "{\"window\":{\"start\":"
                        + now
                        + ",\"end\":"
                        + (now + 3_600_000)
                        + ",\"rampSteps\":1},\"targets\":[{\"tenant\":\"event\",\"app\":\"front\",\"peakReplicas\":5}],"
                        + "\"cloudClusters\":{\"matchLabels\":{\"tier\":\"cloud\"}},\"budget\":{\"maxCloudReplicas\":4}}";
        Answer dry = post("/api/v1/peak-events/dry-run", ADMIN_TOKEN, "{\"spec\":" + spec + "}");
        assertThat(dry.status()).as(dry.text()).isEqualTo(200);
        assertThat(dry.body().get("apps").get(0).get("currentReplicas").asInt()).isEqualTo(2);
        assertThat(dry.body().get("apps").get(0).get("peakReplicas").asInt()).isEqualTo(5);
        assertThat(dry.body().get("idcReplicas").asInt()).isEqualTo(5);
        // Every changed cluster now and at the peak: 3 more one-CPU replicas in all.
        long cpuMore = 0;
        long podsMore = 0;
        for (JsonNode l : dry.body().get("clusters")) {
            cpuMore +=
                    l.get("requestedAfter").get("cpuMillis").asLong()
                            - l.get("requestedBefore").get("cpuMillis").asLong();
            podsMore +=
                    l.get("requestedAfter").get("pods").asLong()
                            - l.get("requestedBefore").get("pods").asLong();
        }
        assertThat(cpuMore).as(dry.text()).isEqualTo(3000);
        assertThat(podsMore).isEqualTo(3);
        assertThat(replicas("event", "front")).as("a dry run changes nothing").isEqualTo(2);

        BlockingQueue<String> adminEvents = new LinkedBlockingQueue<>();
        BlockingQueue<String> viewerEvents = new LinkedBlockingQueue<>();
        CompletableFuture<?> fa = follow(ADMIN_TOKEN, adminEvents);
        CompletableFuture<?> fv = follow(otherViewer, viewerEvents);
        try {
            next(adminEvents, "hello");
            next(viewerEvents, "hello");

            Answer created =
                    post(
                            "/api/v1/peak-events",
                            ADMIN_TOKEN,
                            "{\"name\":\"sale\",\"spec\":" + spec + "}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            assertThat(created.body().get("name").asText()).isEqualTo("sale");
            JsonNode stored = created.body().get("spec");
            assertThat(stored.get("targets").get(0).get("app").asText()).isEqualTo("front");
            assertThat(stored.get("cloudClusters").get("matchLabels").get("tier").asText())
                    .isEqualTo("cloud");
            assertThat(stored.get("budget").get("maxCloudReplicas").asInt()).isEqualTo(4);
            assertThat(stored.get("window").get("start").asLong()).isEqualTo(now);
            assertThat(nextChange(adminEvents, "\"kind\":\"burst\"")).contains("\"name\":\"sale\"");

            // The window has started: the leader's runner takes the app to its peak.
            await().atMost(WAIT)
                    .until(() -> plan("sale").get("plan").get("state").asText().equals("ACTIVE"));
            JsonNode active = plan("sale");
            JsonNode target = active.get("plan").get("progress").get("targets").get(0);
            assertThat(target.get("originalReplicas").asInt()).isEqualTo(2);
            assertThat(target.get("appliedReplicas").asInt()).isEqualTo(5);
            assertThat(active.get("plan").get("progress").get("stepsApplied").asInt()).isEqualTo(1);
            assertThat(active.get("events"))
                    .extracting(e -> e.get("kind").asText())
                    .contains("PLANNED", "STARTED");
            assertThat(replicas("event", "front")).isEqualTo(5);
            assertThat(nextChange(adminEvents, "\"reason\":\"ACTIVE\"")).contains("sale");

            Answer list = get("/api/v1/peak-events", ADMIN_TOKEN);
            assertThat(list.body().get("plans"))
                    .extracting(p -> p.get("name").asText())
                    .contains("sale");

            Answer cancelled = post("/api/v1/peak-events/sale/cancel", ADMIN_TOKEN, "{}");
            assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
            assertThat(cancelled.body().get("cancelRequested").asBoolean()).isTrue();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    plan("sale")
                                            .get("plan")
                                            .get("state")
                                            .asText()
                                            .equals("CANCELLED"));
            assertThat(replicas("event", "front")).isEqualTo(2);
            Answer again = post("/api/v1/peak-events/sale/cancel", ADMIN_TOKEN, "{}");
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.body().get("code").asText()).isEqualTo("FAILED_PRECONDITION");

            // The viewer's stream heard none of it: up to this app of its own tenant, no plan and
            // no app of tenant "event" came.
            admin.apps()
                    .createApp(
                            CreateAppRequest.newBuilder()
                                    .setApp(Fixtures.anApp("other", "seen", 1))
                                    .build());
            List<String> heard = changesUntil(viewerEvents, "\"name\":\"seen\"");
            assertThat(heard)
                    .noneMatch(e -> e.contains("\"kind\":\"burst\""))
                    .noneMatch(e -> e.contains("\"tenant\":\"event\""));
        } finally {
            fa.cancel(true);
            fv.cancel(true);
        }

        List<AuditEvent> audit = audit();
        assertThat(audit)
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.BurstPlanService/CreateBurstPlan");
                            assertThat(e.getTarget()).isEqualTo("burstplan/sale");
                            assertThat(e.getResult()).isEqualTo("OK");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.BurstPlanService/CancelBurstPlan");
                            assertThat(e.getResult()).isEqualTo("OK");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.BurstPlanService/CancelBurstPlan");
                            assertThat(e.getResult()).isEqualTo("FAILED_PRECONDITION");
                        })
                .noneSatisfy(e -> assertThat(e.getMethod()).contains("DryRun"));
    }

    @Test
    @DisplayName(
            "peak-event errors: a bad plan is 400 naming the field and audited as refused; tenant roles are 403 and audited; an unknown plan is 404")
    void peakEventErrors() {
        long now = clock.millis();
        Answer backwards =
                post(
                        "/api/v1/peak-events",
                        ADMIN_TOKEN,
                        "{\"name\":\"bad\",\"spec\":{\"window\":{\"start\":"
                                + (now + 7_200_000)
                                + ",\"end\":"
                                + (now + 3_600_000)
                                + "},\"targets\":[{\"tenant\":\"event\",\"app\":\"front\",\"multiplier\":2}]}}");
        assertField(backwards, "spec.window.end_unix_millis");
        Answer noPeak =
                post(
                        "/api/v1/peak-events/dry-run",
                        ADMIN_TOKEN,
                        "{\"spec\":{\"window\":{\"start\":1,\"end\":2},\"targets\":[{\"tenant\":\"event\",\"app\":\"front\"}]}}");
        assertField(noPeak, "spec.targets[0].peak_replicas");
        assertField(post("/api/v1/peak-events/dry-run", ADMIN_TOKEN, "{}"), "spec");
        assertField(post("/api/v1/peak-events", ADMIN_TOKEN, "{\"name\":\"Bad_Name\"}"), "name");

        Answer tenantAdmin =
                post(
                        "/api/v1/peak-events",
                        shopAdmin,
                        "{\"name\":\"mine\",\"spec\":{\"window\":{\"start\":"
                                + now
                                + ",\"end\":"
                                + (now + 3_600_000)
                                + "},\"targets\":[{\"tenant\":\"shop\",\"app\":\"web\",\"peakReplicas\":8}]}}");
        assertThat(tenantAdmin.status()).isEqualTo(403);
        assertThat(get("/api/v1/peak-events", shopViewer).status()).isEqualTo(403);
        assertThat(post("/api/v1/peak-events/dry-run", shopViewer, "{\"name\":\"x\"}").status())
                .isEqualTo(403);
        assertThat(post("/api/v1/peak-events/any/cancel", shopViewer, "{}").status())
                .isEqualTo(403);
        Answer missing = get("/api/v1/peak-events/nothing", ADMIN_TOKEN);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("message").asText())
                .isEqualTo("burst plan nothing not found");

        assertThat(audit())
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.BurstPlanService/CreateBurstPlan");
                            assertThat(e.getTarget()).isEqualTo("burstplan/bad");
                            assertThat(e.getResult()).isEqualTo("INVALID_ARGUMENT");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.BurstPlanService/CreateBurstPlan");
                            assertThat(e.getActorRole()).isEqualTo("tenant-admin");
                            assertThat(e.getResult()).isEqualTo("PERMISSION_DENIED");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.BurstPlanService/CancelBurstPlan");
                            assertThat(e.getActorRole()).isEqualTo("tenant-viewer");
                            assertThat(e.getResult()).isEqualTo("PERMISSION_DENIED");
                        });
    }

    // ------------------------------------------------------------------ revisions

    @Test
    @DisplayName(
            "revisions: a new image makes revision 2, scaling makes none; the diff names the field; bad revision numbers are 400, unknown ones 404, another tenant's viewer 403")
    void revisions() {
        app("shop", "rev", 1);
        admin.apps()
                .scaleApp(
                        dev.fedplane.proto.v1.ScaleAppRequest.newBuilder()
                                .setTenant("shop")
                                .setName("rev")
                                .setReplicas(2)
                                .build());
        App current =
                admin.apps()
                        .getApp(
                                GetAppRequest.newBuilder()
                                        .setTenant("shop")
                                        .setName("rev")
                                        .build());
        admin.apps()
                .updateApp(
                        UpdateAppRequest.newBuilder()
                                .setApp(
                                        current.toBuilder()
                                                .setSpec(
                                                        current.getSpec().toBuilder()
                                                                .setImage(
                                                                        "registry.example/web:2.0")))
                                .build());

        Answer list = get("/api/v1/apps/shop/rev/revisions", shopViewer);
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(list.body().get("current").asLong()).isEqualTo(2);
        assertThat(list.body().get("revisions"))
                .extracting(r -> r.get("revision").asLong())
                .containsExactly(2L, 1L);
        assertThat(list.body().get("revisions").get(0).get("image").asText())
                .isEqualTo("registry.example/web:2.0");

        Answer diff = get("/api/v1/apps/shop/rev/revisions/diff?from=1&to=2", shopViewer);
        assertThat(diff.status()).as(diff.text()).isEqualTo(200);
        assertThat(diff.body().get("changes")).hasSize(1);
        JsonNode change = diff.body().get("changes").get(0);
        assertThat(change.get("path").asText()).isEqualTo("image");
        assertThat(change.get("from").asText()).isEqualTo("registry.example/web:1.0");
        assertThat(change.get("to").asText()).isEqualTo("registry.example/web:2.0");
        Answer toCurrent = get("/api/v1/apps/shop/rev/revisions/diff?from=1", shopViewer);
        assertThat(toCurrent.body().get("to").asLong()).isEqualTo(2);

        assertField(
                get("/api/v1/apps/shop/rev/revisions/diff?from=0&to=2", shopViewer),
                "from_revision");
        assertField(
                get("/api/v1/apps/shop/rev/revisions/diff?from=one", shopViewer), "from_revision");
        assertField(
                get("/api/v1/apps/shop/rev/revisions/diff?from=1&to=-1", shopViewer),
                "to_revision");
        Answer unknown = get("/api/v1/apps/shop/rev/revisions/diff?from=1&to=9", shopViewer);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("message").asText()).contains("revision 9 of app shop/rev");
        assertThat(get("/api/v1/apps/shop/rev/revisions", otherViewer).status()).isEqualTo(403);
        assertThat(get("/api/v1/apps/shop/none/revisions", shopViewer).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode plan(String name) {
        Answer a = get("/api/v1/peak-events/" + name, ADMIN_TOKEN);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        return a.body();
    }

    /** A 400 whose violations name {@code field} and whose message starts with it. */
    private static void assertField(Answer a, String field) {
        assertThat(a.status()).as(a.text()).isEqualTo(400);
        assertThat(a.body().get("violations"))
                .as(a.text())
                .extracting(v -> v.get("field").asText())
                .contains(field);
        assertThat(a.body().get("message").asText()).contains(field);
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

    private void cluster(String name, String tier, long cpuMillis, long requested, double cost) {
        admin.clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder()
                                .setCluster(
                                        Fixtures.aCluster(name)
                                                .putLabels("tier", tier)
                                                .putLabels("idc", name)
                                                .setCostPerCpuHour(cost)
                                                .setCapacity(
                                                        ClusterCapacity.newBuilder()
                                                                .setAllocatable(
                                                                        Resources.newBuilder()
                                                                                .setCpuMillis(
                                                                                        cpuMillis)
                                                                                .setMemoryMib(
                                                                                        1_000_000)
                                                                                .setPods(1000))
                                                                .setRequested(
                                                                        Resources.newBuilder()
                                                                                .setCpuMillis(
                                                                                        requested)
                                                                                .setPods(100))))
                                .build());
    }

    /** An app of one-CPU replicas that stays in IDC clusters (burst.allowCloud false). */
    private void app(String tenant, String name, int replicas) {
        AppSpec.Builder spec =
                Fixtures.aSpec(replicas)
                        .setResources(Resources.newBuilder().setCpuMillis(1000).setMemoryMib(512));
        spec.getPlacementBuilder().setBurst(BurstPolicy.newBuilder().setAllowCloud(false));
        admin.apps()
                .createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(Fixtures.anApp(tenant, name, replicas).setSpec(spec))
                                .build());
    }

    private int replicas(String tenant, String name) {
        return admin.apps()
                .getApp(GetAppRequest.newBuilder().setTenant(tenant).setName(name).build())
                .getSpec()
                .getReplicas();
    }

    private void awaitPlaced(String tenant, String name, int replicas) {
        await().atMost(WAIT)
                .until(
                        () -> {
                            App a =
                                    admin.apps()
                                            .getApp(
                                                    GetAppRequest.newBuilder()
                                                            .setTenant(tenant)
                                                            .setName(name)
                                                            .build());
                            return a.getStatus().getObservedGeneration() == a.getGeneration()
                                    && a.getStatus().getClustersList().stream()
                                                    .mapToInt(ClusterReplicas::getDesired)
                                                    .sum()
                                            == replicas;
                        });
    }

    /** Every change event up to and including the first containing {@code containing}. */
    private static List<String> changesUntil(BlockingQueue<String> q, String containing)
            throws InterruptedException {
        List<String> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String e = q.poll(1, TimeUnit.SECONDS);
            if (e != null && e.startsWith("change ")) {
                seen.add(e);
                if (e.contains(containing)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no change event with " + containing + " within " + WAIT);
    }
}
