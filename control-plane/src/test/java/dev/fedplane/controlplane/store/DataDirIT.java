package dev.fedplane.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defaults of a plain start: the H2 store follows {@code fedplane.data-dir} ({@code
 * FEDPLANE_DATA_DIR}) and both listeners are on loopback only, plaintext.
 */
class DataDirIT {
    @TempDir Path dir;

    @Test
    @DisplayName(
            "without a database URL the H2 file and the admin token are both written under the data dir, and the listeners are on loopback")
    void h2FileInDataDir() throws IOException {
        Path data = dir.resolve("elsewhere");
        int grpcPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            grpcPort = s.getLocalPort();
        }
        try (EmbeddedServer server =
                ApplicationContext.run(
                        EmbeddedServer.class,
                        Map.of(
                                "micronaut.server.port",
                                -1,
                                "grpc.server.port",
                                grpcPort,
                                "fedplane.data-dir",
                                data.toString()),
                        "test")) {
            assertThat(Files.exists(data.resolve("fedplane.mv.db"))).isTrue();
            assertThat(Files.exists(data.resolve("admin.token"))).isTrue();

            // Loopback only unless FEDPLANE_BIND_ADDRESS says otherwise.
            var grpc =
                    server.getApplicationContext()
                            .getBean(io.micronaut.grpc.server.GrpcEmbeddedServer.class);
            assertThat(grpc.getServer().getListenSockets())
                    .isNotEmpty()
                    .allSatisfy(
                            a ->
                                    assertThat(
                                                    ((java.net.InetSocketAddress) a)
                                                            .getAddress()
                                                            .isLoopbackAddress())
                                            .as(a.toString())
                                            .isTrue());
            assertThat(grpc.getServerConfiguration().isSecure()).isFalse();
            assertThat(
                            server.getApplicationContext()
                                    .getProperty("micronaut.server.host", String.class))
                    .contains("127.0.0.1");
        }
        assertThat(Files.exists(Path.of("fedplane-data", "fedplane.mv.db"))).isFalse();
    }
}
