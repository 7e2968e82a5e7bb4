package dev.fedplane.agent;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fedplane.agent.sim.SimulatedCluster;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.Fixtures;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.ClusterOverride;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.RolloutStage;
import dev.fedplane.proto.v1.RolloutStrategy;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import dev.fedplane.proto.v1.UpdateAppRequest;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The web console end to end in a real headless Chromium: the control plane (this JVM, H2, HTTP and
 * gRPC on free ports) with the six demo clusters of {@code scripts/run} (real agents, each applying
 * to its own KubernetesMockServer with a simulated kubelet), and {@code
 * console/e2e/console.e2e.mjs} run by the machine's node with playwright-core driving Debian's
 * {@code /usr/bin/chromium}: log in, fleet, create and scale an app, its verdicts, a cluster page,
 * cordon, tenants, capacity, a what-if, a peak event (dry run, created, followed live to ACTIVE,
 * cancelled), an app's revisions and their diff, a staged rollout (two stages, the first behind a
 * MANUAL gate) approved and followed to the end, and a tenant viewer denied another tenant's app.
 * Screenshots of each page go to {@code cluster-agent/target/console-screenshots/}. Tokens reach
 * the script only through its environment.
 */
class ConsoleBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path CONSOLE = Path.of("..", "console").toAbsolutePath().normalize();

    /** The demo clusters of scripts/run: name and labels (cloud ones cost more). */
    private static final Map<String, Map<String, String>> DEMO = new LinkedHashMap<>();

    static {
        DEMO.put("idc-bj-1", Map.of("region", "north", "idc", "bj", "zone", "bj-a", "tier", "idc"));
        DEMO.put("idc-bj-2", Map.of("region", "north", "idc", "bj", "zone", "bj-b", "tier", "idc"));
        DEMO.put("idc-sh-1", Map.of("region", "east", "idc", "sh", "zone", "sh-a", "tier", "idc"));
        DEMO.put("idc-sh-2", Map.of("region", "east", "idc", "sh", "zone", "sh-b", "tier", "idc"));
        DEMO.put(
                "cloud-ali-1",
                Map.of("region", "east", "zone", "cn-hz-a", "provider", "aliyun", "tier", "cloud"));
        DEMO.put(
                "cloud-aws-1",
                Map.of(
                        "region",
                        "north",
                        "zone",
                        "cn-north-1a",
                        "provider",
                        "aws",
                        "tier",
                        "cloud"));
    }

    private ControlPlaneHarness cp;
    private Path dir;
    private final List<SimulatedCluster> clusters = new ArrayList<>();
    private final List<Agent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.reconciler.resync-interval", "5s",
                                "fedplane.console.sample-interval", "1s"));
        dir = Files.createTempDirectory("fedplane-console-e2e-");
        String bootstrap =
                withToken(
                                TokenServiceGrpc.newBlockingStub(cp.channel()),
                                ControlPlaneHarness.ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(DEMO.size())
                                        .setTtlSeconds(600)
                                        .build())
                        .getSecret();
        int port = cp.context().getBean(GrpcEmbeddedServer.class).getPort();
        for (Map.Entry<String, Map<String, String>> c : DEMO.entrySet()) {
            SimulatedCluster sim =
                    SimulatedCluster.start(
                            c.getKey(),
                            2,
                            new Quantity("16"),
                            new Quantity("64Gi"),
                            110,
                            Duration.ofMillis(300));
            clusters.add(sim);
            boolean cloud = "cloud".equals(c.getValue().get("tier"));
            Agent agent =
                    new Agent(
                            AgentConfig.builder(c.getKey(), List.of("127.0.0.1:" + port))
                                    .bootstrapToken(bootstrap)
                                    .labels(c.getValue())
                                    .costPerCpuHour(cloud ? 0.05 : 0.0)
                                    .credentialFile(dir.resolve(c.getKey() + ".credential"))
                                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                                    .statusInterval(Duration.ofMillis(300))
                                    .build(),
                            sim.client());
            agent.start();
            agents.add(agent);
        }
        ClusterServiceGrpc.ClusterServiceBlockingStub clusterApi =
                withToken(
                        ClusterServiceGrpc.newBlockingStub(cp.channel()),
                        ControlPlaneHarness.ADMIN_TOKEN);
        for (String name : DEMO.keySet()) {
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(
                            () ->
                                    clusterApi
                                                    .getCluster(
                                                            GetClusterRequest.newBuilder()
                                                                    .setName(name)
                                                                    .build())
                                                    .getState()
                                            == ClusterState.READY);
        }
        TenantServiceGrpc.TenantServiceBlockingStub tenants =
                withToken(
                        TenantServiceGrpc.newBlockingStub(cp.channel()),
                        ControlPlaneHarness.ADMIN_TOKEN);
        for (String t : List.of("shop", "other")) {
            tenants.createTenant(
                    CreateTenantRequest.newBuilder()
                            .setTenant(Tenant.newBuilder().setName(t))
                            .build());
        }
        // An app with two revisions (its image changed) for the revisions page.
        AppServiceGrpc.AppServiceBlockingStub apps =
                withToken(
                        AppServiceGrpc.newBlockingStub(cp.channel()),
                        ControlPlaneHarness.ADMIN_TOKEN);
        App api =
                apps.createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(Fixtures.anApp("shop", "api", 1))
                                .build());
        apps.updateApp(
                UpdateAppRequest.newBuilder()
                        .setApp(
                                api.toBuilder()
                                        .setSpec(
                                                api.getSpec().toBuilder()
                                                        .setImage("registry.example/api:2.0")))
                        .build());
        // An app with a staged rollout: bj (idc=bj, one cluster at a time, MANUAL gate), then the
        // rest. Once it runs everywhere its image changes, so revision 2 rolls out by the stages
        // and waits for the console's approval after bj. The bj clusters pull from their own
        // registry (an override), which the verdicts show as the image there.
        App site =
                apps.createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        Fixtures.anApp("shop", "site", 6)
                                                .setSpec(
                                                        Fixtures.aSpec(6)
                                                                .setImage(
                                                                        "registry.example/site:1.0")
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
                                                                                        "harbor.bj.example"))
                                                                .setRollout(
                                                                        RolloutStrategy.newBuilder()
                                                                                .addStages(
                                                                                        RolloutStage
                                                                                                .newBuilder()
                                                                                                .setName(
                                                                                                        "bj")
                                                                                                .putClusterSelector(
                                                                                                        "idc",
                                                                                                        "bj")
                                                                                                .setMaxUnavailableClusters(
                                                                                                        1)
                                                                                                .setGate(
                                                                                                        RolloutStage
                                                                                                                .Gate
                                                                                                                .MANUAL))
                                                                                .addStages(
                                                                                        RolloutStage
                                                                                                .newBuilder()
                                                                                                .setName(
                                                                                                        "rest"))
                                                                                .setMaxSurge(1))))
                                .build());
        GetAppRequest getSite =
                GetAppRequest.newBuilder().setTenant("shop").setName("site").build();
        await().atMost(WAIT)
                .until(
                        () -> {
                            App a = apps.getApp(getSite);
                            return a.getStatus().getClustersList().stream()
                                            .mapToInt(c -> c.getReady())
                                            .sum()
                                    == 6;
                        });
        site = apps.getApp(getSite);
        apps.updateApp(
                UpdateAppRequest.newBuilder()
                        .setApp(
                                site.toBuilder()
                                        .clearRollout()
                                        .setSpec(
                                                site.getSpec().toBuilder()
                                                        .setImage("registry.example/site:2.0")))
                        .build());
    }

    @AfterEach
    void stop() throws IOException {
        agents.forEach(Agent::close);
        clusters.forEach(SimulatedCluster::close);
        cp.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    @DisplayName(
            "in Chromium: log in, see the clusters, create and scale an app, read its verdicts, and a viewer of another tenant is denied it")
    void consoleInChromium() throws Exception {
        String chromium = System.getenv().getOrDefault("FEDPLANE_CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium))
                .as(
                        "the console's browser tests need Debian's chromium (./scripts/test installs it: apt-get install chromium)")
                .isExecutable();
        assertThat(CONSOLE.resolve("node_modules/playwright-core"))
                .as("console/node_modules (the control-plane build runs npm ci there)")
                .isDirectory();
        String viewer =
                withToken(
                                TokenServiceGrpc.newBlockingStub(cp.channel()),
                                ControlPlaneHarness.ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.API)
                                        .setRole(Role.TENANT_VIEWER)
                                        .setTenant("other")
                                        .build())
                        .getSecret();
        Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
        Path log = Path.of("target", "console-e2e.log").toAbsolutePath();
        Files.createDirectories(shots);
        ProcessBuilder pb =
                new ProcessBuilder("node", "e2e/console.e2e.mjs")
                        .directory(CONSOLE.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.environment().put("FEDPLANE_URL", "http://127.0.0.1:" + cp.httpPort());
        pb.environment().put("FEDPLANE_ADMIN_TOKEN", ControlPlaneHarness.ADMIN_TOKEN);
        pb.environment().put("FEDPLANE_VIEWER_TOKEN", viewer);
        pb.environment().put("FEDPLANE_CLUSTERS", Integer.toString(DEMO.size()));
        pb.environment().put("FEDPLANE_SCREENSHOTS", shots.toString());
        pb.environment().put("FEDPLANE_CHROMIUM", chromium);
        Process p = pb.start();
        boolean finished = p.waitFor(6, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        System.out.println(out);
        assertThat(finished).as("the browser test finished within 6 minutes:\n" + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("e2e: all steps passed");
        assertThat(out).doesNotContain(ControlPlaneHarness.ADMIN_TOKEN).doesNotContain(viewer);
        for (String page :
                List.of(
                        "01-login-refused",
                        "02-fleet",
                        "03-app-created",
                        "04-app-scaled",
                        "05-cluster",
                        "06-tenants",
                        "07-capacity",
                        "08-viewer-denied",
                        "09-what-if",
                        "10-peak-events-dry-run",
                        "11-peak-event-active",
                        "12-app-revisions",
                        "13-rollout",
                        "14-rollout-completed")) {
            assertThat(shots.resolve(page + ".png")).isNotEmptyFile();
        }
    }
}
