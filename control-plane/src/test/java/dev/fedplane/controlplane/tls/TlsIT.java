package dev.fedplane.controlplane.tls;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.TestPki;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.ListTenantsRequest;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * TLS on the real gRPC listener (the control plane in this JVM on a free port) with certificates
 * made in the test: server TLS, a certificate replaced on disk served to new connections, and
 * client certificates for agents ({@code client-auth = agents}) or for everyone ({@code all}).
 */
class TlsIT {
    private final TestPki.Ca ca = TestPki.newCa("fedplane test CA");
    private final TestPki.Ca otherCa = TestPki.newCa("someone else's CA");
    private final List<ManagedChannel> channels = new ArrayList<>();
    private Path dir;
    private ControlPlaneHarness cp;

    @BeforeEach
    void certificates() throws IOException {
        dir = Files.createTempDirectory("fedplane-tls-");
        ca.writeCertificate(dir.resolve("ca.crt"));
        otherCa.writeCertificate(dir.resolve("other-ca.crt"));
        ca.server("localhost", "127.0.0.1").writeTo(dir, "server");
        ca.client("idc-a-1").writeTo(dir, "agent");
        otherCa.client("idc-a-1").writeTo(dir, "stranger");
    }

    @AfterEach
    void close() throws IOException {
        channels.forEach(ManagedChannel::shutdownNow);
        if (cp != null) {
            cp.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private void start(String clientAuth) {
        Map<String, Object> p = new HashMap<>();
        p.put("fedplane.tls.cert-file", dir.resolve("server.crt").toString());
        p.put("fedplane.tls.key-file", dir.resolve("server.key").toString());
        p.put("fedplane.tls.reload-interval", "200ms");
        if (!clientAuth.equals("none")) {
            p.put("fedplane.tls.client-auth", clientAuth);
            p.put("fedplane.tls.client-ca-file", dir.resolve("ca.crt").toString());
        }
        cp = ControlPlaneHarness.start(ControlPlaneHarness.Store.H2, p);
    }

    private ManagedChannel channel(ChannelCredentials credentials) {
        ManagedChannel c =
                Grpc.newChannelBuilderForAddress("127.0.0.1", cp.grpcPort(), credentials).build();
        channels.add(c);
        return c;
    }

    private ChannelCredentials trusting(String caFile) {
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(dir.resolve(caFile).toFile())
                    .build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Trusting the test CA and presenting the client certificate {@code <name>.crt}. */
    private ChannelCredentials trustingWithCertificate(String name) {
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(dir.resolve("ca.crt").toFile())
                    .keyManager(
                            dir.resolve(name + ".crt").toFile(),
                            dir.resolve(name + ".key").toFile())
                    .build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HealthCheckResponse.ServingStatus health(ManagedChannel channel) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    @DisplayName(
            "the listener speaks TLS with the configured certificate: a client trusting its CA is served, plaintext and other CAs are not")
    void serverTls() throws Exception {
        start("none");
        assertThat(health(channel(trusting("ca.crt"))))
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(code(() -> health(channel(InsecureChannelCredentials.create()))))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(() -> health(channel(trusting("other-ca.crt")))))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(servedCertificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=fedplane-control-plane");
    }

    @Test
    @DisplayName(
            "a certificate replaced on disk is served to new connections within the reload interval, and old connections keep working")
    void reloadOnChange() throws Exception {
        start("none");
        ManagedChannel before = channel(trusting("ca.crt"));
        assertThat(health(before)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        BigInteger first = servedCertificate().getSerialNumber();

        TestPki.Ca renewedCa = TestPki.newCa("renewed CA");
        renewedCa.writeCertificate(dir.resolve("renewed-ca.crt"));
        TestPki.Issued renewed = renewedCa.server("localhost", "127.0.0.1");
        renewed.writeTo(dir, "server");

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> servedCertificate().getSerialNumber().equals(renewed.serial()));
        assertThat(renewed.serial()).isNotEqualTo(first);
        assertThat(health(channel(trusting("renewed-ca.crt"))))
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health(before)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    @DisplayName(
            "with client-auth agents, AgentService needs a client certificate from the client CA while the platform API does not")
    void mutualTlsForAgents() throws Exception {
        start("agents");
        String bootstrap =
                withToken(
                                TokenServiceGrpc.newBlockingStub(channel(trusting("ca.crt"))),
                                ControlPlaneHarness.ADMIN_TOKEN)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(2)
                                        .setTtlSeconds(600)
                                        .build())
                        .getSecret();
        RegisterRequest register =
                RegisterRequest.newBuilder()
                        .setClusterName("idc-a-1")
                        .putLabels("tier", "idc")
                        .build();

        StatusRuntimeException refused =
                org.junit.jupiter.api.Assertions.assertThrows(
                        StatusRuntimeException.class,
                        () ->
                                withToken(
                                                AgentServiceGrpc.newBlockingStub(
                                                        channel(trusting("ca.crt"))),
                                                bootstrap)
                                        .register(register));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).contains("client certificate");

        assertThat(
                        withToken(
                                        TenantServiceGrpc.newBlockingStub(
                                                channel(trusting("ca.crt"))),
                                        ControlPlaneHarness.ADMIN_TOKEN)
                                .listTenants(ListTenantsRequest.getDefaultInstance())
                                .getTenantsList())
                .isEmpty();

        // The handshake names the client CA; a client whose certificate another CA signed has none
        // to
        // offer, and AgentService refuses it as if it had presented nothing.
        assertThat(
                        code(
                                () ->
                                        withToken(
                                                        AgentServiceGrpc.newBlockingStub(
                                                                channel(
                                                                        trustingWithCertificate(
                                                                                "stranger"))),
                                                        bootstrap)
                                                .register(register)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);

        assertThat(
                        withToken(
                                        AgentServiceGrpc.newBlockingStub(
                                                channel(trustingWithCertificate("agent"))),
                                        bootstrap)
                                .register(register)
                                .getCredential())
                .isNotEmpty();
    }

    @Test
    @DisplayName("with client-auth all, every client needs a client certificate from the client CA")
    void mutualTlsForAll() throws Exception {
        start("all");
        assertThat(code(() -> health(channel(trusting("ca.crt")))))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(() -> health(channel(trustingWithCertificate("stranger")))))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(health(channel(trustingWithCertificate("agent"))))
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    @DisplayName("the certificates scripts/dev-ca makes serve TLS and mutual TLS for agents")
    void devCaScript() throws Exception {
        Path out = dir.resolve("dev-ca");
        Process p =
                new ProcessBuilder(
                                Path.of("..", "scripts", "dev-ca").toString(),
                                "-o",
                                out.toString(),
                                "-a",
                                "idc-a-1")
                        .redirectErrorStream(true)
                        .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        Map<String, Object> props = new HashMap<>();
        props.put("fedplane.tls.cert-file", out.resolve("server.crt").toString());
        props.put("fedplane.tls.key-file", out.resolve("server.key").toString());
        props.put("fedplane.tls.client-auth", "all");
        props.put("fedplane.tls.client-ca-file", out.resolve("ca.crt").toString());
        cp = ControlPlaneHarness.start(ControlPlaneHarness.Store.H2, props);
        ChannelCredentials agent =
                TlsChannelCredentials.newBuilder()
                        .trustManager(out.resolve("ca.crt").toFile())
                        .keyManager(
                                out.resolve("agent-idc-a-1.crt").toFile(),
                                out.resolve("agent-idc-a-1.key").toFile())
                        .build();
        assertThat(health(channel(agent))).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        ChannelCredentials noCertificate =
                TlsChannelCredentials.newBuilder()
                        .trustManager(out.resolve("ca.crt").toFile())
                        .build();
        assertThat(code(() -> health(channel(noCertificate)))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    @DisplayName("TLS files that cannot be used stop the start with a message naming the setting")
    void unusableFilesStopTheStart() throws Exception {
        Files.writeString(dir.resolve("server.crt"), "not a certificate");
        assertThatThrownBy(() -> start("none")).hasStackTraceContaining("fedplane.tls.cert-file");
    }

    /** The certificate the listener presents to a new TLS connection (read without checking it). */
    private X509Certificate servedCertificate() throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        TrustManager recordAll =
                new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {
                        seen[0] = chain[0];
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recordAll}, null);
        try (SSLSocket socket =
                (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", cp.grpcPort())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
        }
        return seen[0];
    }
}
