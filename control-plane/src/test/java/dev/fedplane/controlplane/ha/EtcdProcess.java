package dev.fedplane.controlplane.ha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-member etcd ({@code /usr/bin/etcd}, or {@code FEDPLANE_TEST_ETCD}) as a child process on
 * free loopback ports with a temporary data dir. {@link #stop()} / {@link #kill()} end it, {@link
 * #start()} starts it again on the same ports and data, {@link #close()} ends it and deletes the
 * data. Not thread-safe.
 */
final class EtcdProcess implements AutoCloseable {
    private final Path dataDir;
    private final Path log;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdProcess() throws IOException {
        dataDir = Files.createTempDirectory("fedplane-etcd-");
        log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        clientPort = freePort();
        peerPort = freePort();
    }

    static EtcdProcess started() {
        try {
            EtcdProcess e = new EtcdProcess();
            e.start();
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    int clientPort() {
        return clientPort;
    }

    void start() {
        String binary = System.getenv().getOrDefault("FEDPLANE_TEST_ETCD", "/usr/bin/etcd");
        String peer = "http://127.0.0.1:" + peerPort;
        ProcessBuilder pb =
                new ProcessBuilder(
                                List.of(
                                        binary,
                                        "--name",
                                        "fedplane-test",
                                        "--data-dir",
                                        dataDir.toString(),
                                        "--listen-client-urls",
                                        endpoint(),
                                        "--advertise-client-urls",
                                        endpoint(),
                                        "--listen-peer-urls",
                                        peer,
                                        "--initial-advertise-peer-urls",
                                        peer,
                                        "--initial-cluster",
                                        "fedplane-test=" + peer,
                                        "--heartbeat-interval",
                                        "50",
                                        "--election-timeout",
                                        "500"))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "etcd ("
                            + binary
                            + ") is needed by this test and did not start: "
                            + e.getMessage()
                            + " (./scripts/test installs Debian's etcd-server)",
                    e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!healthy()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd did not become healthy; see " + log);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint() + "/health").toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(500);
            try {
                return c.getResponseCode() == 200
                        && new String(c.getInputStream().readAllBytes()).contains("true");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, as a restart would. */
    void stop() {
        end(false);
    }

    /** SIGKILL, as a crash would. */
    void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (process == null) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temporary files
        }
        log.toFile().delete();
    }
}
