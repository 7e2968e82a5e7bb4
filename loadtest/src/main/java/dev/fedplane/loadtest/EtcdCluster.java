package dev.fedplane.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A three-member etcd cluster ({@code etcd} from PATH, or {@code FEDPLANE_TEST_ETCD}) as child
 * processes on free loopback ports, each member with its own data dir and log under {@code dir}.
 * {@link #kill(int)} ends a member with SIGKILL; {@link #start(int)} starts it again on the same
 * ports and data (it rejoins). Not thread-safe.
 */
final class EtcdCluster implements AutoCloseable {
    static final int SIZE = 3;

    private final Path dir;
    private final int[] clientPorts = new int[SIZE];
    private final int[] peerPorts = new int[SIZE];
    private final Process[] processes = new Process[SIZE];
    private final boolean[] startedOnce = new boolean[SIZE];
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    EtcdCluster(Path dir) throws IOException {
        this.dir = dir;
        for (int i = 0; i < SIZE; i++) {
            clientPorts[i] = freePort();
            peerPorts[i] = freePort();
        }
        Files.createDirectories(dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The client endpoints, comma-separated, as {@code FEDPLANE_ETCD_ENDPOINTS} takes them. */
    String endpoints() {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            l.add(client(i));
        }
        return String.join(",", l);
    }

    private String client(int i) {
        return "http://127.0.0.1:" + clientPorts[i];
    }

    private String peer(int i) {
        return "http://127.0.0.1:" + peerPorts[i];
    }

    /** Starts every member and waits until the cluster answers healthy. */
    void startAll(Duration timeout) throws IOException, InterruptedException {
        for (int i = 0; i < SIZE; i++) {
            launch(i);
        }
        awaitHealthy(timeout);
    }

    private void launch(int i) throws IOException {
        String binary = System.getenv().getOrDefault("FEDPLANE_TEST_ETCD", "etcd");
        StringBuilder cluster = new StringBuilder();
        for (int k = 0; k < SIZE; k++) {
            cluster.append(k == 0 ? "" : ",").append("m").append(k).append('=').append(peer(k));
        }
        List<String> cmd =
                List.of(
                        binary,
                        "--name",
                        "m" + i,
                        "--data-dir",
                        dir.resolve("m" + i).toString(),
                        "--listen-client-urls",
                        client(i),
                        "--advertise-client-urls",
                        client(i),
                        "--listen-peer-urls",
                        peer(i),
                        "--initial-advertise-peer-urls",
                        peer(i),
                        "--initial-cluster",
                        cluster.toString(),
                        "--initial-cluster-state",
                        startedOnce[i] ? "existing" : "new",
                        "--initial-cluster-token",
                        "fedplane-faults",
                        "--heartbeat-interval",
                        "100",
                        "--election-timeout",
                        "1000");
        try {
            processes[i] =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    ProcessBuilder.Redirect.appendTo(
                                            dir.resolve("m" + i + ".log").toFile()))
                            .start();
        } catch (IOException e) {
            throw new IOException(
                    "etcd ("
                            + binary
                            + ") did not start: "
                            + e.getMessage()
                            + " (install Debian's etcd-server)",
                    e);
        }
        startedOnce[i] = true;
    }

    /** Waits until some member reports the cluster healthy (a leader with quorum). */
    void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < SIZE; i++) {
                if (alive(i) && healthy(i)) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IOException("etcd did not become healthy within " + timeout + "; see " + dir);
    }

    private boolean healthy(int i) {
        try {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(client(i) + "/health"))
                                    .timeout(Duration.ofSeconds(1))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean alive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    /** SIGKILL of member {@code i}. */
    void kill(int i) throws InterruptedException {
        if (processes[i] != null) {
            processes[i].destroyForcibly();
            processes[i].waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts member {@code i} again (same ports and data: it rejoins the cluster). */
    void start(int i) throws IOException {
        if (!alive(i)) {
            launch(i);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < SIZE; i++) {
            kill(i);
        }
    }
}
