package dev.fedplane.controlplane.store;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The default store follows {@code fedplane.data-dir} ({@code FEDPLANE_DATA_DIR}). */
class DataDirIT {
    @TempDir
    Path dir;

    @Test
    @DisplayName("without a database URL the H2 file and the admin token are both written under the data dir")
    void h2FileInDataDir() throws IOException {
        Path data = dir.resolve("elsewhere");
        int grpcPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            grpcPort = s.getLocalPort();
        }
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1, "grpc.server.port", grpcPort, "fedplane.data-dir", data.toString()), "test")) {
            assertThat(Files.exists(data.resolve("fedplane.mv.db"))).isTrue();
            assertThat(Files.exists(data.resolve("admin.token"))).isTrue();
        }
        assertThat(Files.exists(Path.of("fedplane-data", "fedplane.mv.db"))).isFalse();
    }
}
