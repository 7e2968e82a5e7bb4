package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a user with only generic tools sees: server reflection lists and describes the API, a client
 * built from reflection alone creates and reads a tenant, standard gRPC health says SERVING, and
 * HTTP serves /health and Prometheus /metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EcosystemIT {
    private ControlPlaneHarness cp;

    @BeforeAll
    void start() {
        cp = ControlPlaneHarness.start(ControlPlaneHarness.Store.H2);
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    @Test
    @DisplayName(
            "server reflection lists every fedplane.v1 service and the standard health service")
    void reflectionListsServices() throws Exception {
        ServerReflectionResponse r =
                reflect(ServerReflectionRequest.newBuilder().setListServices("").build());
        assertThat(r.getListServicesResponse().getServiceList())
                .extracting(ServiceResponse::getName)
                .contains(
                        "fedplane.v1.TenantService",
                        "fedplane.v1.ClusterService",
                        "fedplane.v1.AppService",
                        "fedplane.v1.CapacityService",
                        "fedplane.v1.TokenService",
                        "fedplane.v1.AuditService",
                        "grpc.health.v1.Health");
    }

    @Test
    @DisplayName("standard gRPC health answers SERVING without a token")
    void healthServing() {
        HealthCheckResponse r =
                HealthGrpc.newBlockingStub(cp.channel())
                        .check(HealthCheckRequest.getDefaultInstance());
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    @DisplayName(
            "a client that knows nothing but reflection creates, gets and lists a tenant with the admin token")
    void reflectionOnlyClient() throws Exception {
        Descriptors.ServiceDescriptor service = serviceByReflection("fedplane.v1.TenantService");
        DynamicMessage created =
                call(
                        service,
                        "CreateTenant",
                        "{\"tenant\": {\"name\": \"reflected\", \"quota\": {\"replicas\": 3}}}");
        assertThat(JsonFormat.printer().print(created)).contains("\"name\": \"reflected\"");
        DynamicMessage got = call(service, "GetTenant", "{\"name\": \"reflected\"}");
        assertThat(JsonFormat.printer().print(got)).contains("\"replicas\": \"3\"");
        DynamicMessage listed = call(service, "ListTenants", "{}");
        assertThat(JsonFormat.printer().print(listed)).contains("\"reflected\"");
    }

    @Test
    @DisplayName(
            "HTTP /health is UP and /metrics serves gRPC and store metrics in Prometheus format")
    void httpHealthAndMetrics() throws Exception {
        Descriptors.ServiceDescriptor service = serviceByReflection("fedplane.v1.TenantService");
        call(service, "CreateTenant", "{\"tenant\": {\"name\": \"metered\"}}");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + cp.httpPort() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        for (String probe : new String[] {"/health/liveness", "/health/readiness"}) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + cp.httpPort() + probe))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(probe).isEqualTo(200);
            assertThat(r.body()).as(probe).contains("\"status\":\"UP\"");
        }
        HttpResponse<String> metrics =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:" + cp.httpPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body())
                .containsPattern(
                        "grpc_server_processing_duration_seconds_count\\{[^}]*method=\"CreateTenant\"[^}]*statusCode=\"OK\"")
                .containsPattern("fedplane_store_seconds_count\\{[^}]*op=\"TenantStore.insert\"");
    }

    @Test
    @DisplayName(
            "in demo mode the first start writes both the admin token and a bootstrap token that registers a cluster")
    void demoModeWritesBothTokens() throws Exception {
        Path dir = Files.createTempDirectory("fedplane-demo-");
        Path demo = dir.resolve("demo-bootstrap.token");
        try (ControlPlaneHarness fresh =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of(
                                "fedplane.admin-token",
                                "",
                                "fedplane.demo.bootstrap-token-file",
                                demo.toString()))) {
            assertThat(fresh.dataDir().resolve("admin.token")).exists();
            assertThat(Files.getPosixFilePermissions(demo))
                    .containsExactlyInAnyOrder(
                            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            var agent =
                    new dev.fedplane.controlplane.testing.ProtocolAgent(fresh.channel(), "demo-1");
            assertThat(
                            agent.register(
                                            Files.readString(demo).strip(),
                                            Map.of("tier", "idc"),
                                            dev.fedplane.controlplane.testing.ProtocolAgent
                                                    .capacity(8000, 32768, 110))
                                    .getCredential())
                    .isNotEmpty();
        } finally {
            Files.deleteIfExists(demo);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @DisplayName(
            "on first start with an empty store and no configured token, the admin token is written to a 0600 file and works")
    void firstStartWritesAdminToken() throws Exception {
        try (ControlPlaneHarness fresh =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2, Map.of("fedplane.admin-token", ""))) {
            Path file = fresh.dataDir().resolve("admin.token");
            assertThat(file).exists();
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(
                            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            String secret = Files.readString(file).strip();
            var tenants =
                    ControlPlaneHarness.withToken(
                            dev.fedplane.proto.v1.TenantServiceGrpc.newBlockingStub(
                                    fresh.channel()),
                            secret);
            assertThat(
                            tenants.listTenants(
                                            dev.fedplane.proto.v1.ListTenantsRequest
                                                    .getDefaultInstance())
                                    .getTenantsCount())
                    .isZero();
            // A restart keeps the same token: the store is no longer empty.
            fresh.restart();
            assertThat(Files.readString(file).strip()).isEqualTo(secret);
            var again =
                    ControlPlaneHarness.withToken(
                            dev.fedplane.proto.v1.TenantServiceGrpc.newBlockingStub(
                                    fresh.channel()),
                            secret);
            assertThat(
                            again.listTenants(
                                            dev.fedplane.proto.v1.ListTenantsRequest
                                                    .getDefaultInstance())
                                    .getTenantsCount())
                    .isZero();
        }
    }

    private DynamicMessage call(Descriptors.ServiceDescriptor service, String method, String json)
            throws Exception {
        Descriptors.MethodDescriptor m = service.findMethodByName(method);
        DynamicMessage.Builder req = DynamicMessage.newBuilder(m.getInputType());
        JsonFormat.parser().merge(json, req);
        MethodDescriptor<DynamicMessage, DynamicMessage> md =
                MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                        .setType(MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName(
                                MethodDescriptor.generateFullMethodName(
                                        service.getFullName(), method))
                        .setRequestMarshaller(
                                ProtoUtils.marshaller(
                                        DynamicMessage.getDefaultInstance(m.getInputType())))
                        .setResponseMarshaller(
                                ProtoUtils.marshaller(
                                        DynamicMessage.getDefaultInstance(m.getOutputType())))
                        .build();
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(
                io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + ADMIN_TOKEN);
        io.grpc.Channel ch =
                io.grpc.ClientInterceptors.intercept(
                        cp.channel(),
                        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
        return ClientCalls.blockingUnaryCall(ch, md, CallOptions.DEFAULT, req.build());
    }

    /** Builds the service's descriptor from what reflection returns, dependencies first. */
    private Descriptors.ServiceDescriptor serviceByReflection(String serviceName) throws Exception {
        ServerReflectionResponse r =
                reflect(
                        ServerReflectionRequest.newBuilder()
                                .setFileContainingSymbol(serviceName)
                                .build());
        Map<String, DescriptorProtos.FileDescriptorProto> protos = new HashMap<>();
        for (var bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            DescriptorProtos.FileDescriptorProto p =
                    DescriptorProtos.FileDescriptorProto.parseFrom(bytes);
            protos.put(p.getName(), p);
        }
        Map<String, Descriptors.FileDescriptor> built = new HashMap<>();
        for (DescriptorProtos.FileDescriptorProto p : protos.values()) {
            build(p.getName(), protos, built);
        }
        for (Descriptors.FileDescriptor f : built.values()) {
            Descriptors.ServiceDescriptor s =
                    f.findServiceByName(serviceName.substring(serviceName.lastIndexOf('.') + 1));
            if (s != null && s.getFullName().equals(serviceName)) {
                return s;
            }
        }
        throw new AssertionError("reflection did not describe " + serviceName);
    }

    private Descriptors.FileDescriptor build(
            String name,
            Map<String, DescriptorProtos.FileDescriptorProto> protos,
            Map<String, Descriptors.FileDescriptor> built)
            throws Exception {
        if (built.containsKey(name)) {
            return built.get(name);
        }
        DescriptorProtos.FileDescriptorProto p = protos.get(name);
        if (p == null) {
            ServerReflectionResponse r =
                    reflect(ServerReflectionRequest.newBuilder().setFileByFilename(name).build());
            for (var bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
                DescriptorProtos.FileDescriptorProto q =
                        DescriptorProtos.FileDescriptorProto.parseFrom(bytes);
                protos.putIfAbsent(q.getName(), q);
            }
            p = protos.get(name);
        }
        List<Descriptors.FileDescriptor> deps = new ArrayList<>();
        for (String dep : p.getDependencyList()) {
            deps.add(build(dep, protos, built));
        }
        Descriptors.FileDescriptor fd =
                Descriptors.FileDescriptor.buildFrom(
                        p, deps.toArray(new Descriptors.FileDescriptor[0]));
        built.put(name, fd);
        return fd;
    }

    private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        ManagedChannel ch = cp.channel();
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> out =
                ServerReflectionGrpc.newStub(ch)
                        .serverReflectionInfo(
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(ServerReflectionResponse value) {
                                        answer.complete(value);
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        answer.completeExceptionally(t);
                                    }

                                    @Override
                                    public void onCompleted() {}
                                });
        out.onNext(request);
        ServerReflectionResponse r = answer.get(10, TimeUnit.SECONDS);
        out.onCompleted();
        return r;
    }
}
