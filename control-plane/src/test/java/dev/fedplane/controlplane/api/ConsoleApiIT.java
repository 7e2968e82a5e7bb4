package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.controlplane.testing.ConsoleHttp;
import dev.fedplane.controlplane.testing.ConsoleHttp.Answer;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.AuditEvent;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.TokenKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console's HTTP API ({@code /api/v1}) against a real control plane (H2, HTTP and gRPC on free
 * ports) with two protocol agents: bearer authentication, tenant scoping, errors as JSON with the
 * gRPC code and the field, audited writes, server-sent events filtered by caller, and the built
 * console at {@code /ui/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ProtocolAgent> agents = new ArrayList<>();
    private ControlPlaneHarness cp;
    private Stubs admin;
    private String shopViewer;
    private String shopAdmin;
    private String otherViewer;

    @BeforeAll
    void start() {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.health.check-interval", "200ms",
                                "fedplane.console.sample-interval", "200ms",
                                "fedplane.console.ping-interval", "500ms"));
        admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        String bootstrap =
                admin.tokens()
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(2)
                                        .setTtlSeconds(600)
                                        .build())
                        .getSecret();
        for (String name : List.of("idc-a-1", "idc-b-1")) {
            ProtocolAgent a = new ProtocolAgent(cp.channel(), name);
            agents.add(a);
            a.register(
                    bootstrap,
                    Map.of("tier", "idc", "region", "east", "idc", name.substring(4, 5)),
                    ProtocolAgent.capacity(32000, 131072, 110));
            a.capacity = ProtocolAgent.capacity(32000, 131072, 110);
            a.connect();
        }
        for (ProtocolAgent a : agents) {
            await().atMost(WAIT)
                    .until(
                            () ->
                                    admin.clusters()
                                                    .getCluster(
                                                            GetClusterRequest.newBuilder()
                                                                    .setName(a.cluster)
                                                                    .build())
                                                    .getState()
                                            == ClusterState.READY);
        }
        for (String t : List.of("shop", "other")) {
            admin.tenants()
                    .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant(t)).build());
        }
        shopViewer = token(Role.TENANT_VIEWER, "shop");
        shopAdmin = token(Role.TENANT_ADMIN, "shop");
        otherViewer = token(Role.TENANT_VIEWER, "other");
    }

    @AfterAll
    void stop() {
        agents.forEach(ProtocolAgent::close);
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

    private void createApp(String tenant, String name, int replicas) {
        Answer a =
                post(
                        "/api/v1/apps",
                        ControlPlaneHarness.ADMIN_TOKEN,
                        "{\"tenant\":\""
                                + tenant
                                + "\",\"name\":\""
                                + name
                                + "\",\"image\":\"registry.example/web:1.0\",\"replicas\":"
                                + replicas
                                + ",\"cpuMillis\":500,\"memoryMiB\":512}");
        assertThat(a.status()).as(a.raw().body()).isEqualTo(201);
    }

    private List<AuditEvent> audit() {
        return admin.audit()
                .listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(200).build())
                .getEventsList();
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
            "a call without a bearer token, with a malformed header or an unknown token is 401 with the reason")
    void unauthenticated() {
        Answer none = get("/api/v1/clusters", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().get("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(none.body().get("message").asText()).contains("missing bearer token");

        HttpRequest basic =
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + cp.httpPort() + "/api/v1/session"))
                        .header("Authorization", "Basic Zm9vOmJhcg==")
                        .build();
        Answer malformed = get("/api/v1/session", "not-a-token");
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(malformed.body().get("message").asText()).isEqualTo("unknown bearer token");
        try {
            HttpResponse<String> r = http.send(basic, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("must be 'Bearer <token>'");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName(
            "the session says who the token is; the fleet lists every cluster with its state and capacity")
    void sessionAndFleet() {
        Answer s = get("/api/v1/session", shopViewer);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.body().get("role").asText()).isEqualTo("tenant-viewer");
        assertThat(s.body().get("tenant").asText()).isEqualTo("shop");

        Answer fleet = get("/api/v1/clusters", ControlPlaneHarness.ADMIN_TOKEN);
        assertThat(fleet.status()).isEqualTo(200);
        JsonNode clusters = fleet.body().get("clusters");
        assertThat(clusters).hasSize(2);
        assertThat(clusters.get(0).get("name").asText()).isEqualTo("idc-a-1");
        assertThat(clusters.get(0).get("state").asText()).isEqualTo("READY");
        assertThat(clusters.get(0).get("labels").get("region").asText()).isEqualTo("east");
        assertThat(clusters.get(0).get("allocatable").get("cpuMillis").asLong()).isEqualTo(32000);
        assertThat(fleet.raw().headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    @DisplayName(
            "an app created and scaled through the API is placed, explained per cluster and audited under the gRPC method names")
    void createScaleExplainAudit() {
        createApp("shop", "web", 2);
        Answer detail = get("/api/v1/apps/shop/web", shopViewer);
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.body().get("app").get("replicas").asInt()).isEqualTo(2);
        JsonNode verdicts = detail.body().get("explanation").get("clusters");
        assertThat(verdicts).hasSize(2);
        assertThat(verdicts.get(0).get("cluster").asText()).isEqualTo("idc-a-1");
        assertThat(verdicts.get(0).get("feasible").asBoolean()).isTrue();

        long rv = detail.body().get("app").get("resourceVersion").asLong();
        Answer scaled =
                post(
                        "/api/v1/apps/shop/web/scale",
                        shopAdmin,
                        "{\"replicas\":6,\"resourceVersion\":" + rv + "}");
        assertThat(scaled.status()).as(scaled.raw().body()).isEqualTo(200);
        assertThat(scaled.body().get("replicas").asInt()).isEqualTo(6);
        await().atMost(WAIT)
                .until(
                        () ->
                                get("/api/v1/apps/shop/web", shopViewer)
                                                .body()
                                                .get("app")
                                                .get("desired")
                                                .asInt()
                                        == 6);

        Answer stale =
                post(
                        "/api/v1/apps/shop/web/scale",
                        shopAdmin,
                        "{\"replicas\":4,\"resourceVersion\":" + rv + "}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body().get("code").asText()).isEqualTo("ABORTED");

        List<AuditEvent> events = audit();
        assertThat(events)
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod()).isEqualTo("fedplane.v1.AppService/ScaleApp");
                            assertThat(e.getActorRole()).isEqualTo("tenant-admin");
                            assertThat(e.getTarget()).isEqualTo("app/shop/web");
                            assertThat(e.getResult()).isEqualTo("OK");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod()).isEqualTo("fedplane.v1.AppService/ScaleApp");
                            assertThat(e.getResult()).isEqualTo("ABORTED");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod()).isEqualTo("fedplane.v1.AppService/CreateApp");
                            assertThat(e.getActorRole()).isEqualTo("platform-admin");
                        });
        assertThat(events).noneSatisfy(e -> assertThat(e.getMessage()).contains(shopAdmin));
    }

    @Test
    @DisplayName(
            "a tenant viewer sees only its tenant: another tenant's app is 403, lists hold its own apps, writes are refused and audited")
    void tenantScoping() {
        createApp("shop", "cart", 1);
        createApp("other", "api", 1);
        Answer denied = get("/api/v1/apps/shop/cart", otherViewer);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().get("code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(denied.body().get("message").asText()).contains("may not read tenant shop");

        Answer list = get("/api/v1/apps", otherViewer);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("apps"))
                .allSatisfy(a -> assertThat(a.get("tenant").asText()).isEqualTo("other"))
                .isNotEmpty();

        Answer tenants = get("/api/v1/tenants", otherViewer);
        assertThat(tenants.body().get("tenants")).hasSize(1);
        assertThat(tenants.body().get("tenants").get(0).get("usage").get("replicas").asInt())
                .isEqualTo(1);

        Answer write = post("/api/v1/apps/other/api/scale", otherViewer, "{\"replicas\":3}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body().get("message").asText()).contains("read-only");
        assertThat(audit())
                .anySatisfy(
                        e -> {
                            assertThat(e.getActorRole()).isEqualTo("tenant-viewer");
                            assertThat(e.getResult()).isEqualTo("PERMISSION_DENIED");
                        });

        Answer capacity = get("/api/v1/capacity?by=idc", otherViewer);
        assertThat(capacity.status()).isEqualTo(403);
        Answer cordon = post("/api/v1/clusters/idc-a-1/cordon", shopAdmin, "{}");
        assertThat(cordon.status()).isEqualTo(403);
    }

    @Test
    @DisplayName(
            "invalid input is 400 naming the field; missing things are 404; every error body says what went wrong")
    void errors() {
        Answer noReplicas = post("/api/v1/apps/shop/web/scale", shopAdmin, "{}");
        assertThat(noReplicas.status()).isEqualTo(400);
        assertThat(noReplicas.body().get("violations").get(0).get("field").asText())
                .isEqualTo("replicas");
        Answer negative = post("/api/v1/apps/shop/web/scale", shopAdmin, "{\"replicas\":-1}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().get("message").asText()).startsWith("replicas");

        Answer badType =
                post(
                        "/api/v1/apps",
                        shopAdmin,
                        "{\"tenant\":\"shop\",\"name\":\"x\",\"image\":\"i\",\"replicas\":1,\"type\":\"SPREAD\"}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.body().get("violations").get(0).get("field").asText())
                .isEqualTo("app.spec.placement.replicaScheduling.type");
        Answer badName =
                post(
                        "/api/v1/apps",
                        shopAdmin,
                        "{\"tenant\":\"shop\",\"name\":\"Not_A_Name\",\"image\":\"i\",\"replicas\":1}");
        assertThat(badName.status()).isEqualTo(400);

        Answer missing = get("/api/v1/apps/shop/nothing-here", ControlPlaneHarness.ADMIN_TOKEN);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("message").asText())
                .isEqualTo("app shop/nothing-here not found");
        Answer noCluster = get("/api/v1/clusters/nope", ControlPlaneHarness.ADMIN_TOKEN);
        assertThat(noCluster.status()).isEqualTo(404);
        Answer by = get("/api/v1/capacity?by=planet", ControlPlaneHarness.ADMIN_TOKEN);
        assertThat(by.status()).isEqualTo(400);
        assertThat(by.body().get("violations").get(0).get("field").asText()).isEqualTo("by");
        Answer page = get("/api/v1/apps?pageSize=5000", ControlPlaneHarness.ADMIN_TOKEN);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body().get("message").asText()).contains("page_size");
    }

    @Test
    @DisplayName(
            "cordon, uncordon and drain change the cluster's state; a stale resource version is 409; the cluster page has history and apps")
    void clusterMarksAndDetail() {
        createApp("shop", "batch", 2);
        Answer before = get("/api/v1/clusters/idc-b-1", ControlPlaneHarness.ADMIN_TOKEN);
        long rv = before.body().get("cluster").get("resourceVersion").asLong();
        Answer cordoned =
                post(
                        "/api/v1/clusters/idc-b-1/cordon",
                        ControlPlaneHarness.ADMIN_TOKEN,
                        "{\"resourceVersion\":" + rv + "}");
        assertThat(cordoned.status()).isEqualTo(200);
        assertThat(cordoned.body().get("state").asText()).isEqualTo("CORDONED");
        Answer stale =
                post(
                        "/api/v1/clusters/idc-b-1/drain",
                        ControlPlaneHarness.ADMIN_TOKEN,
                        "{\"resourceVersion\":" + rv + "}");
        assertThat(stale.status()).isEqualTo(409);
        Answer drained =
                post("/api/v1/clusters/idc-b-1/drain", ControlPlaneHarness.ADMIN_TOKEN, null);
        assertThat(drained.body().get("state").asText()).isEqualTo("DRAINING");
        Answer uncordoned =
                post("/api/v1/clusters/idc-b-1/uncordon", ControlPlaneHarness.ADMIN_TOKEN, "{}");
        assertThat(uncordoned.body().get("state").asText()).isEqualTo("READY");
        assertThat(audit())
                .anySatisfy(
                        e -> {
                            assertThat(e.getMethod())
                                    .isEqualTo("fedplane.v1.ClusterService/DrainCluster");
                            assertThat(e.getTarget()).isEqualTo("cluster/idc-b-1");
                        });

        await().atMost(WAIT)
                .until(
                        () -> {
                            JsonNode d =
                                    get("/api/v1/clusters/idc-a-1", ControlPlaneHarness.ADMIN_TOKEN)
                                            .body();
                            return d.get("history").size() >= 2
                                    && Stream.of(d.get("apps"))
                                            .flatMap(
                                                    a ->
                                                            java.util.stream.StreamSupport.stream(
                                                                    a.spliterator(), false))
                                            .anyMatch(a -> a.get("name").asText().equals("batch"));
                        });
        JsonNode shopView = get("/api/v1/clusters/idc-a-1", otherViewer).body();
        assertThat(shopView.get("apps"))
                .as(shopView.toString())
                .allSatisfy(a -> assertThat(a.get("tenant").asText()).isEqualTo("other"));
    }

    @Test
    @DisplayName("the event stream says hello, then brings each caller only the changes it may see")
    void serverSentEvents() throws Exception {
        BlockingQueue<String> adminEvents = new LinkedBlockingQueue<>();
        BlockingQueue<String> otherEvents = new LinkedBlockingQueue<>();
        CompletableFuture<?> a = follow(ControlPlaneHarness.ADMIN_TOKEN, adminEvents);
        CompletableFuture<?> o = follow(otherViewer, otherEvents);
        try {
            assertThat(next(adminEvents, "hello")).contains("platform-admin");
            assertThat(next(otherEvents, "hello")).contains("tenant-viewer");
            createApp("shop", "sse-shop", 1);
            assertThat(nextChange(adminEvents, "\"kind\":\"app\"")).contains("\"tenant\":\"shop\"");
            createApp("other", "sse-other", 1);
            // The shop app's change was published before this one; the viewer of "other" never got
            // it.
            String first = nextChange(otherEvents, "\"kind\":\"app\"");
            assertThat(first).contains("\"tenant\":\"other\"").contains("sse-other");
            assertThat(next(otherEvents, "ping")).isNotNull();
        } finally {
            a.cancel(true);
            o.cancel(true);
        }
        Answer noToken = get("/api/v1/events", null);
        assertThat(noToken.status()).isEqualTo(401);
    }

    @Test
    @DisplayName("the console is served at /ui/ with a content security policy")
    void consoleIsServed() {
        Answer page = get("/ui/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("<div id=\"app\">").contains("/ui/assets/");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
    }
}
