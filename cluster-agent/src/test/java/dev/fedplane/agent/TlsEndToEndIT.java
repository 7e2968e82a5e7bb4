package dev.fedplane.agent;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fedplane.agent.sim.SimulatedCluster;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.TestPki;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.fabric8.kubernetes.api.model.Quantity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The agent's TLS flags against the real control plane with TLS and mutual TLS for agents ({@code
 * fedplane.tls.client-auth = agents}), certificates made in the test: an agent started with {@code
 * --no-plaintext --tls-ca-file --tls-cert-file --tls-key-file} registers and its cluster becomes
 * READY; one without a client certificate is refused and never registers.
 */
class TlsEndToEndIT {
    private final List<AutoCloseable> open = new ArrayList<>();
    private Path dir;
    private ControlPlaneHarness cp;
    private ManagedChannel admin;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("fedplane-agent-tls-");
        TestPki.Ca ca = TestPki.newCa("fedplane test CA");
        ca.writeCertificate(dir.resolve("ca.crt"));
        ca.server("localhost", "127.0.0.1").writeTo(dir, "server");
        ca.client("idc-a-1").writeTo(dir, "agent");
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.tls.cert-file", dir.resolve("server.crt").toString(),
                                "fedplane.tls.key-file", dir.resolve("server.key").toString(),
                                "fedplane.tls.client-auth", "agents",
                                "fedplane.tls.client-ca-file", dir.resolve("ca.crt").toString()));
        admin =
                Grpc.newChannelBuilderForAddress(
                                "127.0.0.1",
                                cp.grpcPort(),
                                TlsChannelCredentials.newBuilder()
                                        .trustManager(dir.resolve("ca.crt").toFile())
                                        .build())
                        .build();
        bootstrap =
                withToken(TokenServiceGrpc.newBlockingStub(admin), ControlPlaneHarness.ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(2)
                                        .setTtlSeconds(600)
                                        .build())
                        .getSecret();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        admin.shutdownNow();
        cp.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Agent agent(String name, String... tlsFlags) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--control-plane",
                                "127.0.0.1:" + cp.grpcPort(),
                                "--cluster-name",
                                name,
                                "--bootstrap-token",
                                bootstrap,
                                "--credential-file",
                                dir.resolve(name + ".credential").toString()));
        args.addAll(List.of(tlsFlags));
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        SimulatedCluster cluster =
                SimulatedCluster.start(
                        name,
                        1,
                        new Quantity("4"),
                        new Quantity("8Gi"),
                        110,
                        Duration.ofMillis(200));
        Agent agent = new Agent(command.toConfig(Map.of()), cluster.client());
        open.add(cluster);
        open.add(0, agent);
        agent.start();
        return agent;
    }

    private ClusterState state(String name) {
        try {
            return withToken(
                            ClusterServiceGrpc.newBlockingStub(admin),
                            ControlPlaneHarness.ADMIN_TOKEN)
                    .getCluster(GetClusterRequest.newBuilder().setName(name).build())
                    .getState();
        } catch (StatusRuntimeException e) {
            return null;
        }
    }

    @Test
    @DisplayName(
            "an agent with the CA and a client certificate registers over mutual TLS and its cluster becomes READY; one without a certificate never registers")
    void agentOverMutualTls() throws Exception {
        agent(
                "idc-a-1",
                "--no-plaintext",
                "--tls-ca-file",
                dir.resolve("ca.crt").toString(),
                "--tls-cert-file",
                dir.resolve("agent.crt").toString(),
                "--tls-key-file",
                dir.resolve("agent.key").toString());
        Agent without =
                agent(
                        "idc-b-1",
                        "--no-plaintext",
                        "--tls-ca-file",
                        dir.resolve("ca.crt").toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> state("idc-a-1") == ClusterState.READY);
        // By now the agent without a certificate has been refused several times (backoff from 250
        // ms).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(dir.resolve("idc-a-1.credential")));
        assertThat(state("idc-b-1")).isNull();
        assertThat(Files.exists(dir.resolve("idc-b-1.credential"))).isFalse();
        assertThat(without.lastAppliedGeneration()).isZero();
    }
}
