package dev.fedplane.agent;

import static dev.fedplane.agent.testing.Fixtures.aGuardedTenantNamespace;
import static dev.fedplane.agent.testing.Fixtures.aTenantNamespace;
import static dev.fedplane.agent.testing.Fixtures.aWorkload;
import static dev.fedplane.agent.testing.Fixtures.delta;
import static dev.fedplane.agent.testing.Fixtures.full;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fedplane.agent.credential.SecretCredentialStore;
import dev.fedplane.agent.sim.SimulatedCluster;
import dev.fedplane.agent.sim.SimulatedKubelet;
import dev.fedplane.agent.testing.ScriptedControlPlane;
import dev.fedplane.proto.v1.Ack;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.Heartbeat;
import dev.fedplane.proto.v1.Hello;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.WorkloadKey;
import dev.fedplane.proto.v1.WorkloadStatus;
import dev.fedplane.proto.v1.WorkloadStatusReport;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a scripted control plane (real gRPC server) and a CRUD mock API server. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AgentTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir Path dir;

    private KubernetesMockServer apiServer;
    private KubernetesClient client;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startCluster() {
        apiServer = SimulatedCluster.newCrudServer();
        client = apiServer.createClient();
        client.nodes()
                .resource(
                        SimulatedCluster.readyNode(
                                "n1", new Quantity("8"), new Quantity("32Gi"), 110))
                .create();
        client.nodes()
                .resource(
                        SimulatedCluster.readyNode(
                                "n2", new Quantity("8"), new Quantity("32Gi"), 110))
                .create();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        client.close();
        apiServer.destroy();
    }

    private ScriptedControlPlane controlPlane() {
        return closing(ScriptedControlPlane.start());
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private AgentConfig.Builder config(String... addresses) {
        return AgentConfig.builder("idc-a-1", List.of(addresses))
                .bootstrapToken(ScriptedControlPlane.BOOTSTRAP_TOKEN)
                .label("region", "east")
                .label("tier", "idc")
                .taint(AgentConfig.TaintSpec.parse("dedicated=batch:NoSchedule"))
                .credentialFile(dir.resolve("credential"))
                .costPerCpuHour(0.02)
                .statusInterval(Duration.ofMillis(100))
                .heartbeatInterval(Duration.ofMillis(200))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    private Agent startAgent(AgentConfig config) {
        Agent agent = closing(new Agent(config, client));
        agent.start();
        return agent;
    }

    private static Optional<Ack> ackOf(ScriptedControlPlane cp, long generation) {
        return cp.receivedOf(Ack.class).filter(a -> a.getGeneration() == generation).findFirst();
    }

    @Test
    void
            a_first_registration_uses_the_bootstrap_token_and_keeps_the_credential_in_a_file_only_its_owner_reads()
                    throws Exception {
        ScriptedControlPlane cp = controlPlane();

        startAgent(config(cp.address()).build());

        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).findAny().isPresent());
        ScriptedControlPlane.Registration registration = cp.registrations.get(0);
        assertThat(registration.bearer()).isEqualTo(ScriptedControlPlane.BOOTSTRAP_TOKEN);
        assertThat(registration.request().getClusterName()).isEqualTo("idc-a-1");
        assertThat(registration.request().getLabelsMap())
                .containsEntry("region", "east")
                .containsEntry("tier", "idc");
        assertThat(registration.request().getTaints(0).getEffect()).isEqualTo("NoSchedule");
        assertThat(registration.request().getCostPerCpuHour()).isEqualTo(0.02);
        assertThat(registration.request().getCapacity().getAllocatable().getCpuMillis())
                .isEqualTo(16_000);
        Path file = dir.resolve("credential");
        assertThat(Files.readString(file)).isEqualTo("credential-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Hello hello = cp.receivedOf(Hello.class).findFirst().orElseThrow();
        assertThat(hello.getClusterName()).isEqualTo("idc-a-1");
        assertThat(hello.getLastAppliedGeneration()).isZero();
        assertThat(hello.getAgentVersion()).isNotEmpty();
    }

    @Test
    void without_a_credential_file_the_credential_is_kept_in_a_secret_of_the_agent_namespace() {
        ScriptedControlPlane cp = controlPlane();

        startAgent(
                config(cp.address())
                        .credentialFile(null)
                        .credentialNamespace("fedplane-system")
                        .build());

        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).findAny().isPresent());
        Secret secret =
                client.secrets()
                        .inNamespace("fedplane-system")
                        .withName(SecretCredentialStore.SECRET_NAME)
                        .get();
        assertThat(
                        new String(
                                Base64.getDecoder().decode(secret.getData().get("credential")),
                                StandardCharsets.UTF_8))
                .isEqualTo("credential-1");
        assertThat(client.namespaces().withName("fedplane-system").get().getMetadata().getLabels())
                .as("the agent's own namespace is not managed desired state")
                .doesNotContainKey("fedplane.dev/managed-by");
    }

    @Test
    void a_restarted_agent_registers_again_with_its_stored_credential() throws Exception {
        ScriptedControlPlane cp = controlPlane();
        Agent first = startAgent(config(cp.address()).build());
        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).count() == 1);
        first.close();

        startAgent(config(cp.address()).build());

        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).count() == 2);
        assertThat(cp.registrations)
                .extracting(ScriptedControlPlane.Registration::bearer)
                .containsExactly(ScriptedControlPlane.BOOTSTRAP_TOKEN, "credential-1");
        assertThat(Files.readString(dir.resolve("credential"))).isEqualTo("credential-1");
    }

    @Test
    void a_refused_stored_credential_falls_back_to_the_bootstrap_token_once() throws Exception {
        ScriptedControlPlane cp = controlPlane();
        Files.writeString(dir.resolve("credential"), "revoked-credential");

        startAgent(config(cp.address()).build());

        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).findAny().isPresent());
        assertThat(cp.registrations)
                .extracting(ScriptedControlPlane.Registration::bearer)
                .containsExactly("revoked-credential", ScriptedControlPlane.BOOTSTRAP_TOKEN);
        assertThat(Files.readString(dir.resolve("credential"))).isEqualTo("credential-1");
    }

    @Test
    void a_full_state_is_applied_and_acknowledged() {
        ScriptedControlPlane cp = controlPlane();
        Agent agent = startAgent(config(cp.address()).build());
        await().atMost(WAIT).until(cp::hasStream);

        cp.send(
                full(
                        1,
                        1,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 2))));

        await().atMost(WAIT).until(() -> ackOf(cp, 1).isPresent());
        assertThat(ackOf(cp, 1).orElseThrow().getSuccess()).isTrue();
        assertThat(agent.lastAppliedGeneration()).isEqualTo(1);
        assertThat(agent.highestEpochSeen()).isEqualTo(1);
        assertThat(agent.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(agent.connectedAddress()).isEqualTo(cp.address());
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("shop")
                                .withName("web")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isEqualTo(2);
    }

    @Test
    void a_stream_the_control_plane_keeps_open_without_sending_anything_counts_as_connected() {
        ScriptedControlPlane cp = controlPlane();

        Agent agent = startAgent(config(cp.address()).build());

        await().atMost(WAIT).until(() -> agent.connectionState() == ConnectionState.CONNECTED);
        assertThat(agent.connectedAddress()).isEqualTo(cp.address());
        assertThat(agent.lastAppliedGeneration()).isZero();
    }

    @Test
    void a_delta_that_does_not_follow_the_last_applied_generation_is_acknowledged_as_failed() {
        ScriptedControlPlane cp = controlPlane();
        Agent agent = startAgent(config(cp.address()).build());
        await().atMost(WAIT).until(cp::hasStream);
        cp.send(
                full(
                        1,
                        1,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 2))));

        cp.send(delta(1, 3, List.of(aWorkload("shop", "api", 1)), List.of()));
        cp.send(delta(1, 2, List.of(aWorkload("shop", "web", 5)), List.of()));

        await().atMost(WAIT).until(() -> ackOf(cp, 2).isPresent());
        Ack gap = ackOf(cp, 3).orElseThrow();
        assertThat(gap.getSuccess()).isFalse();
        assertThat(gap.getError()).contains("send the full state");
        assertThat(ackOf(cp, 2).orElseThrow().getSuccess()).isTrue();
        assertThat(agent.lastAppliedGeneration()).isEqualTo(2);
        assertThat(client.apps().deployments().inNamespace("shop").withName("api").get()).isNull();
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("shop")
                                .withName("web")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isEqualTo(5);
    }

    @Test
    void a_message_with_a_lower_epoch_than_one_seen_is_refused_without_an_ack() {
        ScriptedControlPlane cp = controlPlane();
        Agent agent = startAgent(config(cp.address()).build());
        await().atMost(WAIT).until(cp::hasStream);
        cp.send(
                full(
                        5,
                        10,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 2))));

        cp.send(
                full(
                        4,
                        11,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "stale", 1))));
        cp.send(
                delta(
                        5,
                        11,
                        List.of(),
                        List.of(WorkloadKey.newBuilder().setTenant("shop").setApp("web").build())));

        // Messages are handled in order: once generation 11 of epoch 5 is acknowledged, the epoch-4
        // one was handled.
        await().atMost(WAIT).until(() -> ackOf(cp, 11).isPresent());
        assertThat(cp.receivedOf(Ack.class))
                .extracting(Ack::getGeneration, Ack::getSuccess)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(10L, true),
                        org.assertj.core.groups.Tuple.tuple(11L, true));
        assertThat(client.apps().deployments().inNamespace("shop").withName("stale").get())
                .isNull();
        assertThat(agent.highestEpochSeen()).isEqualTo(5);
        assertThat(agent.lastAppliedGeneration()).isEqualTo(11);
    }

    @Test
    void a_credential_refused_on_connect_makes_the_agent_register_again_with_the_bootstrap_token()
            throws Exception {
        ScriptedControlPlane cp = controlPlane();
        startAgent(config(cp.address()).build());
        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).count() == 1);

        cp.revokeCredentialsAndDisconnect();

        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).count() == 2);
        assertThat(cp.registrations)
                .extracting(ScriptedControlPlane.Registration::bearer)
                .containsSubsequence(
                        ScriptedControlPlane.BOOTSTRAP_TOKEN,
                        "credential-1",
                        ScriptedControlPlane.BOOTSTRAP_TOKEN);
        assertThat(Files.readString(dir.resolve("credential"))).isEqualTo("credential-2");
    }

    @Test
    void a_managed_deployment_deleted_behind_the_agents_back_is_restored_by_the_drift_resync() {
        ScriptedControlPlane cp = controlPlane();
        startAgent(config(cp.address()).resyncInterval(Duration.ofMillis(200)).build());
        await().atMost(WAIT).until(cp::hasStream);
        cp.send(
                full(
                        1,
                        1,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 2))));
        await().atMost(WAIT).until(() -> ackOf(cp, 1).isPresent());

        client.apps().deployments().inNamespace("shop").withName("web").delete();

        await().atMost(WAIT)
                .until(
                        () ->
                                client.apps()
                                                .deployments()
                                                .inNamespace("shop")
                                                .withName("web")
                                                .get()
                                        != null);
        assertThat(cp.receivedOf(Ack.class)).as("a resync is not a generation: no ack").hasSize(1);
    }

    @Test
    void
            managed_network_policies_and_the_quota_deleted_or_edited_by_hand_come_back_within_one_resync_and_are_reported() {
        Duration resync = Duration.ofMillis(500);
        // One resync interval plus slack for the loop thread (heartbeats and the apply share it).
        Duration withinOneResync = resync.plus(Duration.ofSeconds(2));
        ScriptedControlPlane cp = controlPlane();
        Agent agent = startAgent(config(cp.address()).resyncInterval(resync).build());
        await().atMost(WAIT).until(cp::hasStream);
        cp.send(
                full(
                        1,
                        1,
                        List.of(aGuardedTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 1))));
        await().atMost(WAIT).until(() -> ackOf(cp, 1).isPresent());
        assertThat(ackOf(cp, 1).get().getSuccess()).as(ackOf(cp, 1).get().getError()).isTrue();
        await().atMost(WAIT).until(() -> cp.receivedOf(Heartbeat.class).count() >= 2);
        assertThat(cp.receivedOf(Heartbeat.class))
                .allSatisfy(h -> assertThat(h.getDriftCorrectionsTotal()).isZero());
        assertThat(client.network().v1().networkPolicies().inNamespace("shop").list().getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "fedplane-isolation", "fedplane-egress", "fedplane-allow-ops-web-8080");

        // Round 1: an egress policy deleted, the quota edited.
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace("shop")
                .withName("fedplane-egress")
                .delete();
        ResourceQuota quota =
                client.resourceQuotas().inNamespace("shop").withName("fedplane-quota").get();
        quota.getSpec().getHard().put("requests.cpu", new Quantity("64"));
        client.resourceQuotas().inNamespace("shop").resource(quota).update();

        await().atMost(withinOneResync)
                .until(
                        () ->
                                client.network()
                                                        .v1()
                                                        .networkPolicies()
                                                        .inNamespace("shop")
                                                        .withName("fedplane-egress")
                                                        .get()
                                                != null
                                        && new Quantity("4000m")
                                                .equals(
                                                        client.resourceQuotas()
                                                                .inNamespace("shop")
                                                                .withName("fedplane-quota")
                                                                .get()
                                                                .getSpec()
                                                                .getHard()
                                                                .get("requests.cpu")));
        await().atMost(WAIT)
                .until(
                        () ->
                                cp.receivedOf(Heartbeat.class)
                                        .anyMatch(h -> h.getDriftCorrectionsTotal() == 2));

        // Round 2: the isolation policy edited to admit everyone, the quota deleted.
        NetworkPolicy isolation =
                client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace("shop")
                        .withName("fedplane-isolation")
                        .get();
        isolation.getSpec().setIngress(List.of(new NetworkPolicyIngressRule()));
        client.network().v1().networkPolicies().inNamespace("shop").resource(isolation).update();
        client.resourceQuotas().inNamespace("shop").withName("fedplane-quota").delete();

        await().atMost(withinOneResync)
                .until(
                        () ->
                                client.resourceQuotas()
                                                        .inNamespace("shop")
                                                        .withName("fedplane-quota")
                                                        .get()
                                                != null
                                        && client.network()
                                                        .v1()
                                                        .networkPolicies()
                                                        .inNamespace("shop")
                                                        .withName("fedplane-isolation")
                                                        .get()
                                                        .getSpec()
                                                        .getIngress()
                                                        .get(0)
                                                        .getFrom()
                                                        .size()
                                                == 2);
        await().atMost(WAIT)
                .until(
                        () ->
                                cp.receivedOf(Heartbeat.class)
                                        .anyMatch(h -> h.getDriftCorrectionsTotal() == 4));
        assertThat(agent.driftCorrectionsTotal()).isEqualTo(4);

        List<Event> events =
                client.v1().events().inNamespace("shop").list().getItems().stream()
                        .filter(e -> "FedplaneDriftCorrected".equals(e.getReason()))
                        .toList();
        assertThat(events)
                .extracting(
                        e ->
                                e.getInvolvedObject().getKind()
                                        + " "
                                        + e.getInvolvedObject().getName())
                .containsExactlyInAnyOrder(
                        "NetworkPolicy fedplane-egress",
                        "ResourceQuota fedplane-quota",
                        "NetworkPolicy fedplane-isolation",
                        "ResourceQuota fedplane-quota");
        assertThat(events)
                .allSatisfy(
                        e -> {
                            assertThat(e.getInvolvedObject().getNamespace()).isEqualTo("shop");
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getSource().getComponent()).isEqualTo("fedplane-agent");
                            assertThat(e.getMessage()).contains("idc-a-1");
                        });
        assertThat(events)
                .filteredOn(e -> e.getInvolvedObject().getName().equals("fedplane-egress"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.getInvolvedObject().getApiVersion())
                                    .isEqualTo("networking.k8s.io/v1");
                            assertThat(e.getInvolvedObject().getUid())
                                    .isEqualTo(
                                            client.network()
                                                    .v1()
                                                    .networkPolicies()
                                                    .inNamespace("shop")
                                                    .withName("fedplane-egress")
                                                    .get()
                                                    .getMetadata()
                                                    .getUid());
                            assertThat(e.getMessage()).contains("was missing and was recreated");
                        });
        assertThat(cp.receivedOf(Ack.class)).as("a resync is not a generation: no ack").hasSize(1);
    }

    @Test
    void an_agent_on_a_simulated_cluster_runs_its_deployments_and_reports_them_ready() {
        SimulatedCluster cluster =
                closing(
                        SimulatedCluster.start(
                                "sim",
                                2,
                                new Quantity("8000m"),
                                new Quantity("32Gi"),
                                110,
                                Duration.ofMillis(100)));
        ScriptedControlPlane cp = controlPlane();
        Agent agent = closing(new Agent(config(cp.address()).build(), cluster.client()));
        agent.start();
        await().atMost(WAIT).until(cp::hasStream);

        cp.send(
                full(
                        1,
                        1,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 4))));

        // 4 pods of 500m / 512 MiB on 2 nodes of 8000m / 32768 MiB / 110 pods
        await().atMost(WAIT)
                .until(
                        () ->
                                cp.receivedOf(Heartbeat.class)
                                        .anyMatch(
                                                h ->
                                                        h.getCapacity()
                                                                        .getManagedRequested()
                                                                        .equals(
                                                                                resources(
                                                                                        2_000,
                                                                                        2_048, 4))
                                                                && h.getCapacity()
                                                                        .getFree()
                                                                        .equals(
                                                                                resources(
                                                                                        14_000,
                                                                                        63_488,
                                                                                        216))));
        await().atMost(WAIT)
                .until(
                        () ->
                                cp.receivedOf(WorkloadStatusReport.class)
                                        .flatMap(r -> r.getWorkloadsList().stream())
                                        .anyMatch(w -> w.getReadyReplicas() == 4));
    }

    @Test
    void heartbeats_report_allocatable_minus_requests_with_the_managed_part() {
        client.pods()
                .inNamespace("shop")
                .resource(
                        pod(
                                "web-1",
                                Map.of("fedplane.dev/managed-by", "fedplane"),
                                "500m",
                                "512Mi"))
                .create();
        client.pods().inNamespace("other").resource(pod("db-1", Map.of(), "2", "4Gi")).create();
        ScriptedControlPlane cp = controlPlane();

        startAgent(config(cp.address()).build());

        // allocatable 2 x (8000m, 32768 MiB, 110 pods); requested 2500m, 4608 MiB, 2 pods; managed
        // 500m, 512 MiB, 1 pod
        ClusterCapacity expected =
                ClusterCapacity.newBuilder()
                        .setAllocatable(resources(16_000, 65_536, 220))
                        .setRequested(resources(2_500, 4_608, 2))
                        .setFree(resources(13_500, 60_928, 218))
                        .setManagedRequested(resources(500, 512, 1))
                        .build();
        await().atMost(WAIT)
                .until(
                        () ->
                                cp.receivedOf(Heartbeat.class)
                                        .anyMatch(h -> h.getCapacity().equals(expected)));
    }

    @Test
    void a_follower_redirect_is_followed_to_the_leader_at_once() {
        Set<String> credentials = ConcurrentHashMap.newKeySet();
        ScriptedControlPlane leader = closing(ScriptedControlPlane.start(credentials));
        ScriptedControlPlane follower =
                closing(ScriptedControlPlane.start(credentials).followerOf(leader.address()));
        Agent agent = startAgent(config(follower.address()).build());

        await().atMost(WAIT).until(() -> leader.receivedOf(Hello.class).findAny().isPresent());
        leader.send(full(7, 1, List.of(), List.of()));

        await().atMost(WAIT).until(() -> agent.connectionState() == ConnectionState.CONNECTED);
        assertThat(agent.connectedAddress()).isEqualTo(leader.address());
        assertThat(follower.refusedConnects.get()).isEqualTo(1);
    }

    @Test
    void a_leader_that_stops_answering_heartbeats_is_left_for_the_next_address() {
        Set<String> credentials = ConcurrentHashMap.newKeySet();
        ScriptedControlPlane first = closing(ScriptedControlPlane.start(credentials));
        ScriptedControlPlane second = closing(ScriptedControlPlane.start(credentials));
        first.answerHeartbeats = true;
        Agent agent = startAgent(config(first.address(), second.address()).build());
        await().atMost(WAIT).until(() -> first.receivedOf(Hello.class).findAny().isPresent());
        assertThat(first.receivedOf(Hello.class).findFirst().orElseThrow().getHeartbeatAcks())
                .as("the agent asks for heartbeat acks")
                .isTrue();
        first.send(full(7, 1, List.of(), List.of()));
        await().atMost(WAIT).until(() -> ackOf(first, 1).isPresent());

        first.answerHeartbeats = false; // paused: the stream stays open, nothing answers

        await().atMost(WAIT)
                .until(
                        () ->
                                agent.connectionState() == ConnectionState.CONNECTED
                                        && second.address().equals(agent.connectedAddress()));
        assertThat(second.receivedOf(Hello.class).findFirst().orElseThrow().getLastSeenEpoch())
                .isEqualTo(7);
        // A control plane that never answered heartbeats (one that predates HeartbeatAck) is not
        // left: many silent heartbeat intervals later the agent is still on its first stream.
        await().atMost(WAIT).until(() -> second.receivedOf(Heartbeat.class).count() >= 12);
        assertThat(second.connects.get()).isEqualTo(1);
        assertThat(agent.connectedAddress()).isEqualTo(second.address());
    }

    @Test
    void the_agent_reconnects_after_the_control_plane_restarts_and_reports_what_it_applied() {
        ScriptedControlPlane cp = controlPlane();
        Agent agent = startAgent(config(cp.address()).build());
        await().atMost(WAIT).until(cp::hasStream);
        cp.send(
                full(
                        3,
                        4,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 2))));
        await().atMost(WAIT).until(() -> ackOf(cp, 4).isPresent());

        cp.stop();
        await().atMost(WAIT).until(() -> agent.connectionState() == ConnectionState.DISCONNECTED);
        assertThat(client.apps().deployments().inNamespace("shop").withName("web").get())
                .as("workloads keep running while disconnected")
                .isNotNull();
        cp.restart();

        await().atMost(WAIT).until(() -> cp.receivedOf(Hello.class).count() == 2);
        Hello again = cp.receivedOf(Hello.class).skip(1).findFirst().orElseThrow();
        assertThat(again.getLastAppliedGeneration()).isEqualTo(4);
        assertThat(again.getLastSeenEpoch()).isEqualTo(3);
        assertThat(cp.registrations)
                .as("registered once; reconnecting needs no new registration")
                .hasSize(1);
    }

    @Test
    void a_status_report_follows_when_the_simulated_kubelet_makes_a_deployment_ready() {
        closing(new SimulatedKubelet(client, Duration.ofMillis(100)));
        ScriptedControlPlane cp = controlPlane();
        startAgent(config(cp.address()).heartbeatInterval(Duration.ofMinutes(5)).build());
        await().atMost(WAIT).until(cp::hasStream);

        cp.send(
                full(
                        1,
                        1,
                        List.of(aTenantNamespace("shop")),
                        List.of(aWorkload("shop", "web", 3))));

        await().atMost(WAIT)
                .until(
                        () ->
                                cp.receivedOf(WorkloadStatusReport.class)
                                        .flatMap(r -> r.getWorkloadsList().stream())
                                        .anyMatch(AgentTest::threeReadyAndAvailable));
        assertThat(
                        client.pods()
                                .inNamespace("shop")
                                .withLabel("fedplane.dev/app", "web")
                                .list()
                                .getItems())
                .hasSize(3);
    }

    private static boolean threeReadyAndAvailable(WorkloadStatus w) {
        return w.getTenant().equals("shop")
                && w.getApp().equals("web")
                && w.getDesiredReplicas() == 3
                && w.getReadyReplicas() == 3
                && w.getConditionsList().stream()
                        .anyMatch(
                                c ->
                                        c.getType().equals("Available")
                                                && c.getStatus().equals("True"));
    }

    private static Resources resources(long cpu, long mem, long pods) {
        return Resources.newBuilder().setCpuMillis(cpu).setMemoryMib(mem).setPods(pods).build();
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(
            String name, Map<String, String> labels, String cpu, String memory) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build();
    }
}
