package dev.fedplane.controlplane.ha;

import dev.fedplane.controlplane.common.DaemonThreads;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fedplane.ha=zookeeper}: leader election with Apache Curator's {@link LeaderLatch} under
 * {@code fedplane.zk.path}, with the ZooKeeper session timeout set to {@code fedplane.lease-ttl}.
 *
 * <p>The epoch is the sequence number of the leader's latch node plus one (epochs are positive).
 * The leader's node is the lowest of the live ones, and every node created later has a higher
 * sequence, so the next leader's is higher: epochs only grow (while the ZooKeeper data lives). It
 * is recorded in the store before the listeners start.
 *
 * <p>Leadership ends at once on the connection's SUSPENDED or LOST state (Curator reports SUSPENDED
 * when the client has heard nothing from the server for two thirds of the session timeout, so
 * before the server can expire the session and elect someone else), and when the latch says so. A
 * cache of the latch's children gives followers the current leader for redirects.
 *
 * <p>Threading: Curator's callbacks run on one thread of this class ("fedplane-zk"); listeners are
 * told on the thread of {@link ElectedLeadership}.
 */
@Singleton
@Requires(property = "fedplane.ha", value = "zookeeper")
public class ZookeeperLeadership extends ElectedLeadership {
    private static final Logger LOG = LoggerFactory.getLogger(ZookeeperLeadership.class);
    private static final String LATCH = "latch-";

    private final Duration ttl;
    private final String path;
    private final ExecutorService exec;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile CuratorFramework client;
    private volatile LeaderLatch latch;
    private volatile CuratorCache cache;
    private volatile boolean closed;

    /** Test hook: a frozen instance does not notice losing its session (a long GC pause). */
    private volatile boolean frozen;

    public ZookeeperLeadership(HaConfiguration config, LeaderEpochs epochs) {
        super(config, epochs);
        this.ttl = config.leaseTtl();
        this.path = config.zkPath();
        this.exec = Executors.newSingleThreadExecutor(DaemonThreads.named("fedplane-zk"));
    }

    @Override
    public String mode() {
        return "zookeeper";
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        int ttlMillis = (int) ttl.toMillis();
        client =
                CuratorFrameworkFactory.builder()
                        .connectString(config.zkConnect())
                        .sessionTimeoutMs(ttlMillis)
                        .connectionTimeoutMs(ttlMillis)
                        .retryPolicy(new RetryForever(250))
                        .build();
        client.getConnectionStateListenable().addListener((c, state) -> onConnection(state), exec);
        client.start();
        cache = CuratorCache.build(client, path);
        cache.listenable()
                .addListener(
                        (type, before, after) -> {
                            try {
                                exec.execute(this::observeLeader);
                            } catch (RejectedExecutionException e) {
                                // shutting down
                            }
                        });
        cache.start();
        LOG.info(
                "{}: campaigning at {} on ZooKeeper {} (session timeout {})",
                config.self().id(),
                path,
                config.zkConnect(),
                ttl);
        exec.execute(this::newLatch);
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            exec.submit(
                            () -> {
                                revoked("shutting down");
                                closeLatch();
                            })
                    .get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("{}: stepping down at shutdown did not finish", config.self().id(), e);
        }
        drainEvents(10_000);
        exec.shutdownNow();
        closeEvents();
        if (cache != null) {
            cache.close();
        }
        if (client != null) {
            client.close();
        }
    }

    // ------------------------------------------------------------------ election (exec thread)

    private void newLatch() {
        if (closed) {
            return;
        }
        LeaderLatch l =
                new LeaderLatch(client, path, config.self().encode(), LeaderLatch.CloseMode.SILENT);
        l.addListener(
                new LeaderLatchListener() {
                    @Override
                    public void isLeader() {
                        tryLead(l);
                    }

                    @Override
                    public void notLeader() {
                        if (!frozen) {
                            revoked("the ZooKeeper latch was lost");
                        }
                    }
                },
                exec);
        latch = l;
        try {
            l.start();
        } catch (Exception e) {
            LOG.warn("{}: could not start the latch: {}", config.self().id(), e.toString());
        }
    }

    private void closeLatch() {
        LeaderLatch l = latch;
        latch = null;
        if (l != null) {
            try {
                l.close();
            } catch (IOException | IllegalStateException e) {
                LOG.debug("{}: closing the latch: {}", config.self().id(), e.toString());
            }
        }
    }

    private void tryLead(LeaderLatch l) {
        if (frozen || closed || latch != l || !l.hasLeadership()) {
            return;
        }
        String ours = l.getOurPath();
        long epoch = sequence(ours) + 1;
        if (epoch <= 0) {
            return;
        }
        elected(
                        epoch,
                        () ->
                                latch == l
                                        && l.hasLeadership()
                                        && ours.equals(l.getOurPath())
                                        && !frozen
                                        && client.getZookeeperClient().isConnected())
                .whenCompleteAsync(
                        (leads, e) -> {
                            if (!Boolean.TRUE.equals(leads) && latch == l && l.hasLeadership()) {
                                // Holding the latch without leading would block everyone: give it
                                // up, join again.
                                closeLatch();
                                newLatch();
                            }
                        },
                        exec);
    }

    private void onConnection(ConnectionState state) {
        if (frozen) {
            return;
        }
        switch (state) {
            case SUSPENDED, LOST -> revoked("ZooKeeper connection " + state);
            case RECONNECTED -> {
                LeaderLatch l = latch;
                if (l != null) {
                    tryLead(l);
                }
            }
            default -> {}
        }
    }

    static long sequence(String node) {
        if (node == null) {
            return -1;
        }
        int i = node.lastIndexOf(LATCH);
        if (i < 0) {
            return -1;
        }
        try {
            return Long.parseLong(node.substring(i + LATCH.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ the leader, for followers

    private void observeLeader() {
        CuratorCache c = cache;
        if (c == null || closed) {
            return;
        }
        Optional<ChildData> lowest =
                c.stream()
                        .filter(d -> path.equals(ZKPaths.getPathAndNode(d.getPath()).getPath()))
                        .filter(d -> sequence(d.getPath()) >= 0)
                        .min(Comparator.comparingLong(d -> sequence(d.getPath())));
        if (lowest.isEmpty()) {
            observed(null);
            return;
        }
        ChildData d = lowest.get();
        byte[] data = d.getData();
        if (data == null) {
            return;
        }
        LeaderInfo.Instance.decode(new String(data, StandardCharsets.UTF_8))
                .ifPresent(i -> observed(i.withEpoch(sequence(d.getPath()) + 1)));
    }

    // ------------------------------------------------------------------ test hooks

    /**
     * Simulates a long pause: connection and latch events are ignored until {@link #thawForTest()}.
     */
    void freezeForTest() {
        frozen = true;
    }

    /** Ends the pause and looks again at the connection and the latch. */
    void thawForTest() {
        frozen = false;
        exec.execute(
                () -> {
                    LeaderLatch l = latch;
                    if (!client.getZookeeperClient().isConnected()
                            || l == null
                            || !l.hasLeadership()
                            || sequence(l.getOurPath()) + 1 != epoch()) {
                        revoked("the ZooKeeper session or latch was lost during a pause");
                    }
                });
    }

    /** The ZooKeeper session of this instance, for tests that expire it from outside. */
    long sessionIdForTest() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    byte[] sessionPasswordForTest() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionPasswd();
    }
}
