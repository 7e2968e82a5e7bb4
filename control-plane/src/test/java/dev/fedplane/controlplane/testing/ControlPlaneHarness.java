package dev.fedplane.controlplane.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real control plane in this JVM: the Micronaut application with its gRPC server on a free port
 * and its HTTP server on another, over a fresh H2 file or a fresh PostgreSQL database, plus a
 * client channel to it. {@link #restart()} stops the process's context and starts a new one on the
 * same database. Not thread-safe; one per test class.
 */
public final class ControlPlaneHarness implements AutoCloseable {
    public enum Store {
        H2,
        POSTGRES
    }

    public static final String ADMIN_TOKEN = "test-admin-secret-0123456789abcdef";

    private final Store store;
    private final Path dataDir;
    private final String pgDatabase;
    private final boolean ownsDatabase;
    private final Map<String, Object> properties;
    private EmbeddedServer http;
    private ManagedChannel channel;

    private ControlPlaneHarness(Store store, Map<String, Object> extra) {
        this(store, null, extra);
    }

    private ControlPlaneHarness(Store store, String sharedDatabase, Map<String, Object> extra) {
        this.store = store;
        this.ownsDatabase = sharedDatabase == null;
        try {
            this.dataDir = Files.createTempDirectory("fedplane-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("fedplane.data-dir", dataDir.toString());
        p.put("fedplane.admin-token", ADMIN_TOKEN);
        if (store == Store.POSTGRES) {
            pgDatabase = sharedDatabase != null ? sharedDatabase : TestDatabases.createPostgres();
            p.put("datasources.default.url", TestDatabases.postgresUrl(pgDatabase));
            p.put("datasources.default.username", TestDatabases.pgUser());
            p.put("datasources.default.password", TestDatabases.pgPassword());
        } else {
            pgDatabase = null;
            p.put("datasources.default.url", TestDatabases.h2Url(dataDir));
            p.put("datasources.default.username", "sa");
            p.put("datasources.default.password", "");
        }
        p.putAll(extra);
        this.properties = Map.copyOf(p);
    }

    public static ControlPlaneHarness start(Store store) {
        return start(store, Map.of());
    }

    public static ControlPlaneHarness start(Store store, Map<String, Object> extra) {
        ControlPlaneHarness h = new ControlPlaneHarness(store, extra);
        h.boot();
        return h;
    }

    /**
     * A control plane on an existing PostgreSQL database that other instances share (an HA
     * replica); {@link #close()} leaves the database to its creator ({@link
     * TestDatabases#dropPostgres}).
     */
    public static ControlPlaneHarness startOnSharedPostgres(
            String database, Map<String, Object> extra) {
        ControlPlaneHarness h = new ControlPlaneHarness(Store.POSTGRES, database, extra);
        h.boot();
        return h;
    }

    /** The port of this instance's gRPC server. */
    public int grpcPort() {
        return http.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
    }

    private void boot() {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("grpc.server.port", freePort());
        http = ApplicationContext.run(EmbeddedServer.class, p, "test");
        int grpcPort = http.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    }

    private static int freePort() {
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Store store() {
        return store;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public ApplicationContext context() {
        return http.getApplicationContext();
    }

    public int httpPort() {
        return http.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@code stub} sending {@code authorization: Bearer <token>}. */
    public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata md = new Metadata();
        md.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** Stops the application and starts a new one on the same store, as a process restart would. */
    public void restart() {
        stopServer();
        boot();
    }

    private void stopServer() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.getApplicationContext().close();
    }

    @Override
    public void close() {
        stopServer();
        if (pgDatabase != null && ownsDatabase) {
            TestDatabases.dropPostgres(pgDatabase);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temporary files; nothing to keep
        }
    }
}
