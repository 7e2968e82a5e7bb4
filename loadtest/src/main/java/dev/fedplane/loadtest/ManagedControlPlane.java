package dev.fedplane.loadtest;

import java.io.IOException;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A control plane process this run starts, kills and starts again (for the leader-restart phase):
 * {@code java -jar fedplane-control-plane.jar} on free loopback ports, standalone, with an H2 file
 * in its own data directory (kept across restarts) or the database URL given. Its output goes to
 * {@code control-plane.log} in the data directory.
 */
final class ManagedControlPlane implements AutoCloseable {

    private final Path jar;
    private final Path dataDir;
    private final String dbUrl;
    private final List<String> jvmOptions;
    private final Map<String, String> settings;
    final String token = "load-" + UUID.randomUUID();
    final int grpcPort;
    final int httpPort;
    private Process process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ManagedControlPlane(
            Path jar,
            Path dataDir,
            String dbUrl,
            List<String> jvmOptions,
            Map<String, String> settings)
            throws IOException {
        this.jar = jar;
        this.dataDir = dataDir;
        this.dbUrl =
                dbUrl != null
                        ? dbUrl
                        : "jdbc:h2:file:"
                                + dataDir.resolve("fedplane")
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        this.jvmOptions = jvmOptions;
        this.settings = settings;
        this.grpcPort = freePort();
        this.httpPort = freePort();
        Files.createDirectories(dataDir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String target() {
        return "127.0.0.1:" + grpcPort;
    }

    URI metricsUri() {
        return URI.create("http://127.0.0.1:" + httpPort + "/metrics");
    }

    /** Starts the process and waits (at most {@code timeout}) until {@code /health} answers. */
    void start(Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dataDir.resolve("control-plane.log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("FEDPLANE_DATA_DIR", dataDir.toString());
        env.put("FEDPLANE_ADMIN_TOKEN", token);
        env.put("FEDPLANE_DB_URL", dbUrl);
        env.put("GRPC_SERVER_PORT", Integer.toString(grpcPort));
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(httpPort));
        env.putAll(settings);
        process = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "the control plane exited with "
                                + process.exitValue()
                                + "; see "
                                + dataDir.resolve("control-plane.log"));
            }
            if (healthy()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IOException(
                "the control plane did not answer /health within "
                        + timeout
                        + "; see "
                        + dataDir.resolve("control-plane.log"));
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + httpPort + "/health"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The process id, for signals (SIGSTOP / SIGCONT); -1 before the first start. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Whether the process runs (a stopped process counts as running). */
    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Kills the process at once (a crash: no graceful shutdown) and waits for it to be gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }
}
