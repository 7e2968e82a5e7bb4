package dev.fedplane.controlplane.ha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * The election store of an HA test: a real etcd process or an in-JVM ZooKeeper, stoppable and
 * restartable on its data.
 */
interface ElectionBackend extends AutoCloseable {
    /** The {@code fedplane.ha} value. */
    String mode();

    /** The loopback port instances reach it on (each through its own {@link TcpProxy}). */
    int port();

    /** Properties that point an instance at it through a proxy on {@code proxyPort}. */
    Map<String, Object> properties(int proxyPort);

    /** An outage: the store stops; {@link #start()} brings it back on the same data. */
    void stop();

    void start();

    @Override
    void close();

    static ElectionBackend etcd() {
        EtcdProcess etcd = EtcdProcess.started();
        return new ElectionBackend() {
            @Override
            public String mode() {
                return "etcd";
            }

            @Override
            public int port() {
                return etcd.clientPort();
            }

            @Override
            public Map<String, Object> properties(int proxyPort) {
                return Map.of("fedplane.etcd.endpoints", "http://127.0.0.1:" + proxyPort);
            }

            @Override
            public void stop() {
                etcd.stop();
            }

            @Override
            public void start() {
                etcd.start();
            }

            @Override
            public void close() {
                etcd.close();
            }
        };
    }

    /** ZooKeeper with a 500 ms tick: session timeouts from 1 s to 10 s are allowed. */
    static ElectionBackend zookeeper() {
        TestingServer zk;
        try {
            InstanceSpec spec =
                    new InstanceSpec(
                            Files.createTempDirectory("fedplane-zk-").toFile(),
                            EtcdProcess.freePort(),
                            -1,
                            -1,
                            true,
                            -1,
                            500,
                            -1);
            zk = new TestingServer(spec, true);
        } catch (Exception e) {
            throw new IllegalStateException("could not start ZooKeeper's TestingServer", e);
        }
        TestingServer server = zk;
        return new ElectionBackend() {
            @Override
            public String mode() {
                return "zookeeper";
            }

            @Override
            public int port() {
                return server.getPort();
            }

            @Override
            public Map<String, Object> properties(int proxyPort) {
                return Map.of("fedplane.zk.connect", "127.0.0.1:" + proxyPort);
            }

            @Override
            public void stop() {
                try {
                    server.stop();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void start() {
                try {
                    server.restart();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException e) {
                    // temporary
                }
            }
        };
    }
}
