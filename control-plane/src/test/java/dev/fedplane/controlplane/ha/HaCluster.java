package dev.fedplane.controlplane.ha;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.controlplane.testing.TestDatabases;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Control-plane instances in this JVM sharing one fresh PostgreSQL database and one election store,
 * each reaching the store through its own {@link TcpProxy}. {@link #crash} cuts an instance off the
 * store and closes it without a word to the store (its lease or session must run out), as a killed
 * process would.
 */
final class HaCluster implements AutoCloseable {
    final ElectionBackend backend;
    final String database;
    final Duration ttl;
    private final Map<String, Object> extra;
    final List<Node> nodes = new ArrayList<>();
    private int started;

    /** One instance. */
    static final class Node {
        final String id;
        final TcpProxy proxy;
        final ControlPlaneHarness cp;
        volatile boolean alive = true;

        Node(String id, TcpProxy proxy, ControlPlaneHarness cp) {
            this.id = id;
            this.proxy = proxy;
            this.cp = cp;
        }

        Leadership leadership() {
            return cp.context().getBean(Leadership.class);
        }

        boolean leads() {
            return alive && leadership().isLeader();
        }

        ManagedChannel channel() {
            return cp.channel();
        }

        String address() {
            return "127.0.0.1:" + cp.grpcPort();
        }

        <T> T bean(Class<T> type) {
            return cp.context().getBean(type);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    HaCluster(ElectionBackend backend, Duration ttl, Map<String, Object> extra) {
        this.backend = backend;
        this.ttl = ttl;
        this.extra = extra;
        this.database = TestDatabases.createPostgres();
    }

    Node startNode() {
        String id = "cp-" + (++started);
        TcpProxy proxy;
        try {
            proxy = new TcpProxy(backend.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> p = new HashMap<>(extra);
        p.put("fedplane.ha", backend.mode());
        p.put("fedplane.instance-id", id);
        p.put("fedplane.lease-ttl", ttl.toMillis() + "ms");
        p.putAll(backend.properties(proxy.port()));
        Node n = new Node(id, proxy, ControlPlaneHarness.startOnSharedPostgres(database, p));
        synchronized (nodes) {
            nodes.add(n);
        }
        return n;
    }

    /**
     * Starts instances one after the other (two cores; and free ports are picked before binding)
     * until {@code count} are alive.
     */
    void ensureAlive(int count) {
        while (alive().size() < count) {
            startNode();
        }
    }

    List<Node> alive() {
        synchronized (nodes) {
            return nodes.stream().filter(n -> n.alive).toList();
        }
    }

    List<Node> leaders() {
        return alive().stream().filter(Node::leads).toList();
    }

    List<Node> followers() {
        return alive().stream().filter(n -> !n.leads()).toList();
    }

    /** Cuts {@code n} off the election store and closes it (in the background; returns at once). */
    CompletableFuture<Void> crash(Node n) {
        n.proxy.cut();
        n.alive = false;
        return CompletableFuture.runAsync(
                () -> {
                    n.cp.close();
                    n.proxy.close();
                });
    }

    /** Closes {@code n} cleanly: it resigns, so a successor need not wait for its lease. */
    void stop(Node n) {
        n.alive = false;
        n.cp.close();
        n.proxy.close();
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Node n : alive()) {
            closing.add(CompletableFuture.runAsync(() -> stop(n)));
        }
        for (CompletableFuture<Void> c : closing) {
            try {
                c.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort
            }
        }
        TestDatabases.dropPostgres(database);
        backend.close();
    }
}
