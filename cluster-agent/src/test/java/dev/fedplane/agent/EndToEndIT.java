package dev.fedplane.agent;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fedplane.agent.rbac.KubeRequest;
import dev.fedplane.agent.rbac.RbacRules;
import dev.fedplane.agent.sim.SimulatedCluster;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.DeleteAppRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * End to end: the real control plane (in this JVM, H2, real gRPC on a free port) and three real
 * agents, each applying with the real fabric8 client to its own KubernetesMockServer (CRUD mode)
 * with simulated nodes and kubelet. Heartbeats every second, LOST after four.
 *
 * <p>RBAC coverage: each agent talks to its mock API server through its own client with the user
 * agent {@value #AGENT_USER_AGENT}; after every test the requests the servers received from the
 * agents are read as RBAC requests and each must be granted by the Roles of the agent's plain
 * manifest ({@code deploy/manifests/fedplane-agent.yaml}, rendered from the Helm chart). idc-b-1
 * keeps its credential in the Secret, as in a cluster, so those requests are covered too.
 */
class EndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> NAMES = List.of("idc-a-1", "idc-a-2", "idc-b-1");
    static final String AGENT_USER_AGENT = "fedplane-agent-under-test";
    private static final String SECRET_STORE_CLUSTER = "idc-b-1";

    private ControlPlaneHarness cp;
    private Path dir;
    private String bootstrap;
    private final Map<String, SimulatedCluster> clusters = new LinkedHashMap<>();
    private final Map<String, Agent> agents = new HashMap<>();
    private final Map<String, KubernetesClient> agentClients = new HashMap<>();
    private TenantServiceGrpc.TenantServiceBlockingStub tenants;
    private AppServiceGrpc.AppServiceBlockingStub apps;
    private ClusterServiceGrpc.ClusterServiceBlockingStub clusterApi;

    @BeforeEach
    void start() throws Exception {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.health.lost-after", "4s",
                                "fedplane.health.check-interval", "200ms",
                                "fedplane.reconciler.resync-interval", "5s"));
        dir = Files.createTempDirectory("fedplane-e2e-");
        tenants =
                withToken(
                        TenantServiceGrpc.newBlockingStub(cp.channel()),
                        ControlPlaneHarness.ADMIN_TOKEN);
        apps =
                withToken(
                        AppServiceGrpc.newBlockingStub(cp.channel()),
                        ControlPlaneHarness.ADMIN_TOKEN);
        clusterApi =
                withToken(
                        ClusterServiceGrpc.newBlockingStub(cp.channel()),
                        ControlPlaneHarness.ADMIN_TOKEN);
        bootstrap =
                withToken(
                                TokenServiceGrpc.newBlockingStub(cp.channel()),
                                ControlPlaneHarness.ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(NAMES.size())
                                        .setTtlSeconds(600)
                                        .setDescription("e2e")
                                        .build())
                        .getSecret();
        for (String name : NAMES) {
            clusters.put(
                    name,
                    SimulatedCluster.start(
                            name,
                            2,
                            new Quantity("8"),
                            new Quantity("32Gi"),
                            110,
                            Duration.ofMillis(200)));
            startAgent(name);
        }
        for (String name : NAMES) {
            await().atMost(WAIT).ignoreExceptions().until(() -> state(name) == ClusterState.READY);
        }
        tenants.createTenant(
                CreateTenantRequest.newBuilder()
                        .setTenant(Tenant.newBuilder().setName("shop").putLabels("team", "shop"))
                        .build());
    }

    @AfterEach
    void stop() throws Exception {
        agents.values().forEach(Agent::close);
        agentClients.values().forEach(KubernetesClient::close);
        try {
            assertAgentRequestsGrantedByItsRoles();
        } finally {
            clusters.values().forEach(SimulatedCluster::close);
            cp.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Every request the agents made in this test, as RBAC sees it, is granted by the agent
     * manifest's roles.
     */
    private void assertAgentRequestsGrantedByItsRoles() throws InterruptedException {
        RbacRules rules =
                RbacRules.fromManifest(Path.of("..", "deploy", "manifests", "fedplane-agent.yaml"));
        Set<String> made = new TreeSet<>();
        Set<String> refused = new TreeSet<>();
        for (SimulatedCluster c : clusters.values()) {
            for (RecordedRequest r = c.server().takeRequest(1, TimeUnit.MILLISECONDS);
                    r != null;
                    r = c.server().takeRequest(1, TimeUnit.MILLISECONDS)) {
                if (!AGENT_USER_AGENT.equals(r.getHeader("User-Agent"))) {
                    continue; // the simulated kubelet and the test's own reads
                }
                KubeRequest k = KubeRequest.of(r.getMethod(), r.getPath());
                made.add(k.verb() + " " + k.resource());
                if (!rules.allows(k)) {
                    refused.add(k.describe());
                }
            }
        }
        // The recording is not empty: the agents at least read capacity and wrote the app.
        assertThat(made).contains("list nodes", "list pods", "create deployments");
        assertThat(refused)
                .as("agent requests the roles in deploy/manifests/fedplane-agent.yaml do not grant")
                .isEmpty();
    }

    private KubernetesClient agentClient(String name) {
        return agentClients.computeIfAbsent(
                name,
                n ->
                        new KubernetesClientBuilder()
                                .withConfig(
                                        new ConfigBuilder(
                                                        clusters.get(n).client().getConfiguration())
                                                .withUserAgent(AGENT_USER_AGENT)
                                                .build())
                                .build());
    }

    private void startAgent(String name) {
        int port = cp.context().getBean(GrpcEmbeddedServer.class).getPort();
        AgentConfig config =
                AgentConfig.builder(name, List.of("127.0.0.1:" + port))
                        .bootstrapToken(bootstrap)
                        .label("region", name.startsWith("idc-a") ? "east" : "north")
                        .label("tier", "idc")
                        .credentialFile(
                                name.equals(SECRET_STORE_CLUSTER)
                                        ? null
                                        : dir.resolve(name + ".credential"))
                        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .statusInterval(Duration.ofMillis(200))
                        .build();
        Agent agent = new Agent(config, agentClient(name));
        agent.start();
        agents.put(name, agent);
    }

    private ClusterState state(String name) {
        return clusterApi
                .getCluster(GetClusterRequest.newBuilder().setName(name).build())
                .getState();
    }

    private App app(String name) {
        return apps.getApp(GetAppRequest.newBuilder().setTenant("shop").setName(name).build());
    }

    /** Replicas of the app's Deployment in each mock cluster that has one. */
    private Map<String, Integer> deployments(String app) {
        Map<String, Integer> out = new HashMap<>();
        for (Map.Entry<String, SimulatedCluster> c : clusters.entrySet()) {
            Deployment d =
                    c.getValue()
                            .client()
                            .apps()
                            .deployments()
                            .inNamespace("shop")
                            .withName(app)
                            .get();
            if (d != null) {
                out.put(c.getKey(), d.getSpec().getReplicas());
            }
        }
        return out;
    }

    private static AppSpec spec(int replicas) {
        return AppSpec.newBuilder()
                .setImage("registry.example/web:1.0")
                .setReplicas(replicas)
                .setResources(Resources.newBuilder().setCpuMillis(500).setMemoryMib(512))
                .setPlacement(
                        PlacementPolicy.newBuilder()
                                .setReplicaScheduling(
                                        ReplicaScheduling.newBuilder()
                                                .setType(ReplicaScheduling.Type.DIVIDED)
                                                .setDivision(
                                                        ReplicaScheduling.Division.STATIC_WEIGHTS)))
                .build();
    }

    @Test
    @DisplayName(
            "an app becomes Deployments in the chosen clusters, scales, reports ready, and is removed everywhere on delete")
    void appLifecycle() {
        apps.createApp(
                CreateAppRequest.newBuilder()
                        .setApp(App.newBuilder().setTenant("shop").setName("web").setSpec(spec(6)))
                        .build());
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(deployments("web"))
                                        .isEqualTo(
                                                Map.of("idc-a-1", 2, "idc-a-2", 2, "idc-b-1", 2)));
        Deployment d =
                clusters.get("idc-a-1")
                        .client()
                        .apps()
                        .deployments()
                        .inNamespace("shop")
                        .withName("web")
                        .get();
        assertThat(d.getMetadata().getLabels())
                .containsEntry("fedplane.dev/managed-by", "fedplane");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/web:1.0");
        assertThat(
                        d.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getResources()
                                .getRequests()
                                .get("cpu"))
                .isEqualTo(new Quantity("500m"));
        assertThat(
                        clusters.get("idc-a-1")
                                .client()
                                .namespaces()
                                .withName("shop")
                                .get()
                                .getMetadata()
                                .getLabels())
                .containsEntry("team", "shop")
                .containsEntry("fedplane.dev/managed-by", "fedplane");

        apps.scaleApp(
                ScaleAppRequest.newBuilder()
                        .setTenant("shop")
                        .setName("web")
                        .setReplicas(9)
                        .build());
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(deployments("web"))
                                        .isEqualTo(
                                                Map.of("idc-a-1", 3, "idc-a-2", 3, "idc-b-1", 3)));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            App a = app("web");
                            assertThat(a.getStatus().getClustersList())
                                    .hasSize(3)
                                    .allSatisfy(r -> assertThat(r.getReady()).isEqualTo(3));
                            assertThat(a.getStatus().getConditionsList())
                                    .anySatisfy(
                                            c -> {
                                                assertThat(c.getType()).isEqualTo("Available");
                                                assertThat(c.getStatus()).isEqualTo("True");
                                            });
                        });

        apps.deleteApp(DeleteAppRequest.newBuilder().setTenant("shop").setName("web").build());
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(deployments("web")).isEmpty();
                            for (SimulatedCluster c : clusters.values()) {
                                assertThat(c.client().namespaces().withName("shop").get()).isNull();
                            }
                        });
    }

    @Test
    @DisplayName(
            "a killed agent's cluster goes NOT_READY then LOST, its replicas run elsewhere, and back it loses its stale workloads")
    void failoverAndReturn() {
        apps.createApp(
                CreateAppRequest.newBuilder()
                        .setApp(App.newBuilder().setTenant("shop").setName("web").setSpec(spec(6)))
                        .build());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(deployments("web")).containsEntry("idc-b-1", 2));

        agents.remove("idc-b-1").close(); // the agent dies; its cluster keeps running what it ran
        await().atMost(WAIT).until(() -> state("idc-b-1") == ClusterState.NOT_READY);
        await().atMost(WAIT).until(() -> state("idc-b-1") == ClusterState.LOST);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Map<String, Integer> d = deployments("web");
                            assertThat(d.get("idc-a-1") + d.get("idc-a-2")).isEqualTo(6);
                        });
        assertThat(deployments("web")).containsEntry("idc-b-1", 2); // nobody told it otherwise

        startAgent("idc-b-1"); // it comes back with its stored credential
        await().atMost(WAIT).until(() -> state("idc-b-1") == ClusterState.READY);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(deployments("web")).doesNotContainKey("idc-b-1"));
        assertThat(deployments("web").values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(6);
    }

    @Test
    @DisplayName("an agent restart applies nothing twice and resumes from its generation")
    void agentRestart() {
        apps.createApp(
                CreateAppRequest.newBuilder()
                        .setApp(App.newBuilder().setTenant("shop").setName("web").setSpec(spec(3)))
                        .build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(deployments("web")).hasSize(3));
        Agent old = agents.get("idc-a-1");
        await().atMost(WAIT).until(() -> old.lastAppliedGeneration() > 0);
        long generation = old.lastAppliedGeneration();
        // The simulated kubelet writes the status until the pods are ready; snapshot after that.
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Deployment d =
                                    clusters.get("idc-a-1")
                                            .client()
                                            .apps()
                                            .deployments()
                                            .inNamespace("shop")
                                            .withName("web")
                                            .get();
                            assertThat(d.getStatus()).isNotNull();
                            assertThat(d.getStatus().getReadyReplicas())
                                    .isEqualTo(d.getSpec().getReplicas());
                        });
        Deployment before =
                clusters.get("idc-a-1")
                        .client()
                        .apps()
                        .deployments()
                        .inNamespace("shop")
                        .withName("web")
                        .get();

        agents.remove("idc-a-1").close();
        startAgent("idc-a-1");
        Agent again = agents.get("idc-a-1");
        await().atMost(WAIT).until(() -> again.lastAppliedGeneration() == generation);
        // The restarted agent was brought up to date without rewriting the Deployment.
        Deployment same =
                clusters.get("idc-a-1")
                        .client()
                        .apps()
                        .deployments()
                        .inNamespace("shop")
                        .withName("web")
                        .get();
        assertThat(same.getMetadata().getResourceVersion())
                .isEqualTo(before.getMetadata().getResourceVersion());

        apps.scaleApp(
                ScaleAppRequest.newBuilder()
                        .setTenant("shop")
                        .setName("web")
                        .setReplicas(6)
                        .build());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(deployments("web")).containsEntry("idc-a-1", 2));
        assertThat(again.lastAppliedGeneration()).isGreaterThan(generation);
    }

    @Test
    @DisplayName(
            "a tenant's quota share and network rules reach every cluster it runs in as a ResourceQuota and NetworkPolicies")
    void tenancyObjects() {
        tenants.updateNetworkRules(
                dev.fedplane.proto.v1.UpdateNetworkRulesRequest.newBuilder()
                        .setTenant("shop")
                        .setNetwork(
                                dev.fedplane.proto.v1.NetworkRules.newBuilder()
                                        .addEgress(
                                                dev.fedplane.proto.v1.EgressRule.newBuilder()
                                                        .setCidr("10.0.32.0/24")
                                                        .setPort(5978)
                                                        .setProtocol("TCP")))
                        .build());
        apps.createApp(
                CreateAppRequest.newBuilder()
                        .setApp(App.newBuilder().setTenant("shop").setName("web").setSpec(spec(3)))
                        .build());
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            for (SimulatedCluster c : clusters.values()) {
                                var quota =
                                        c.client()
                                                .resourceQuotas()
                                                .inNamespace("shop")
                                                .withName("fedplane-quota")
                                                .get();
                                assertThat(quota).isNotNull();
                                // one replica of 500m / 512 MiB here, plus 25%: 625m, 640 MiB, 2
                                // pods
                                assertThat(quota.getSpec().getHard())
                                        .containsEntry("requests.cpu", new Quantity("625m"))
                                        .containsEntry("pods", new Quantity("2"));
                                assertThat(
                                                c.client()
                                                        .network()
                                                        .networkPolicies()
                                                        .inNamespace("shop")
                                                        .withName("fedplane-isolation")
                                                        .get())
                                        .isNotNull();
                                var egress =
                                        c.client()
                                                .network()
                                                .networkPolicies()
                                                .inNamespace("shop")
                                                .withName("fedplane-egress")
                                                .get();
                                assertThat(egress).isNotNull();
                                assertThat(egress.getSpec().getEgress())
                                        .anySatisfy(
                                                r ->
                                                        assertThat(r.getTo())
                                                                .anySatisfy(
                                                                        peer ->
                                                                                assertThat(
                                                                                                peer
                                                                                                                        .getIpBlock()
                                                                                                                == null
                                                                                                        ? null
                                                                                                        : peer.getIpBlock()
                                                                                                                .getCidr())
                                                                                        .isEqualTo(
                                                                                                "10.0.32.0/24")));
                            }
                        });
    }
}
