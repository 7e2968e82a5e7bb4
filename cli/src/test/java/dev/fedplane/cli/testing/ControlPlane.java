package dev.fedplane.cli.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real control plane in this JVM, started through its public entry point (Micronaut's {@code
 * ApplicationContext} with properties, as {@code java -jar} does with environment variables):
 * standalone leader, H2 file store in a temporary directory, gRPC on a free loopback port, HTTP on
 * a random port. Heartbeat deadlines are hours so that test agents that sent one heartbeat stay
 * READY. One per test class; {@link #close()} stops it and deletes its files.
 */
public final class ControlPlane implements AutoCloseable {
    public static final String ADMIN_TOKEN = "cli-test-admin-secret-0123456789abcdef";

    private final Path dataDir;
    private final EmbeddedServer http;
    private final ManagedChannel channel;

    private ControlPlane(Path dataDir, EmbeddedServer http) {
        this.dataDir = dataDir;
        this.http = http;
        this.channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
    }

    public static ControlPlane start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("fedctl-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("grpc.server.port", freePort());
        p.put("fedplane.data-dir", dir.toString());
        p.put("fedplane.admin-token", ADMIN_TOKEN);
        p.put("fedplane.ha", "standalone");
        p.put("fedplane.agent.heartbeat-interval", "1h");
        p.put("fedplane.health.lost-after", "10h");
        p.put(
                "datasources.default.url",
                "jdbc:h2:file:"
                        + dir.resolve("fedplane").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        p.put("datasources.default.username", "sa");
        p.put("datasources.default.password", "");
        return new ControlPlane(dir, ApplicationContext.run(EmbeddedServer.class, p));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int grpcPort() {
        return http.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
    }

    /** host:port for {@code --server}. */
    public String address() {
        return "127.0.0.1:" + grpcPort();
    }

    /** A plaintext channel for test agents. */
    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.getApplicationContext().close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temporary files only
        }
    }
}
