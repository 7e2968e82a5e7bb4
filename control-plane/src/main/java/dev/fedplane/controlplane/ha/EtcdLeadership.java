package dev.fedplane.controlplane.ha;

import dev.fedplane.controlplane.common.DaemonThreads;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.election.NoLeaderException;
import io.etcd.jetcd.election.NotLeaderException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fedplane.ha=etcd}: leader election with etcd's Election API on a lease.
 *
 * <p>A <em>session</em> is one lease (TTL {@code fedplane.lease-ttl}) kept alive by this class
 * every third of the TTL, and one campaign on that lease with the value {@code id\naddress}. When
 * the campaign returns, the epoch is the election key's create revision, which grows across
 * leaders; it is recorded in the store before the listeners start. A session ends, and with it any
 * leadership, when etcd says the lease is gone, or on a local deadline: no successful keep-alive
 * (counted from when it was sent) within one TTL. That deadline ends leadership no later than etcd
 * could hand the election to someone else, even when etcd cannot be reached to say so. After a
 * session ends, the lease is revoked (best effort) and a new session starts.
 *
 * <p>A watch on the election ({@code observe}) keeps the current leader for followers' redirects.
 * On shutdown the leader resigns, so a successor takes over without waiting for the lease.
 *
 * <p>Threading: sessions live on one scheduler thread ("fedplane-etcd"); jetcd's callbacks hop onto
 * it. Listeners are told on the thread of {@link ElectedLeadership}.
 */
@Singleton
@Requires(property = "fedplane.ha", value = "etcd")
public class EtcdLeadership extends ElectedLeadership {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdLeadership.class);
    private static final long WATCHDOG_MILLIS = 100;
    private static final long RETRY_MILLIS = 500;

    private final Duration ttl;
    private final ByteSequence election;
    private final ByteSequence proposal;
    private final ScheduledExecutorService exec;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Client client;
    private volatile Session session;
    private volatile boolean closed;

    /**
     * Test hook: a frozen instance neither keeps its lease alive nor notices losing it (a long GC
     * pause).
     */
    private volatile boolean frozen;

    /** One lease and one campaign on it. Fields change on the scheduler thread only. */
    private static final class Session {
        volatile boolean ended;
        long leaseId;
        volatile long lastRefreshNanos;
        ScheduledFuture<?> keepAlive;
        CompletableFuture<CampaignResponse> campaign;
        LeaderKey key;
    }

    public EtcdLeadership(HaConfiguration config, LeaderEpochs epochs) {
        super(config, epochs);
        this.ttl = config.leaseTtl();
        this.election = ByteSequence.from(config.etcdElection(), StandardCharsets.UTF_8);
        this.proposal = ByteSequence.from(config.self().encode(), StandardCharsets.UTF_8);
        this.exec = DaemonThreads.single("fedplane-etcd");
    }

    @Override
    public String mode() {
        return "etcd";
    }

    /** Starts campaigning once the servers are up (so a leader can serve agents at once). */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        client =
                Client.builder()
                        .endpoints(config.etcdEndpoints().toArray(String[]::new))
                        .connectTimeout(ttl)
                        .keepaliveTime(Duration.ofSeconds(2))
                        .keepaliveTimeout(Duration.ofSeconds(2))
                        .retryMaxDuration(ttl)
                        .build();
        LOG.info(
                "{}: campaigning for {} on etcd {} (lease TTL {})",
                config.self().id(),
                config.etcdElection(),
                config.etcdEndpoints(),
                ttl);
        exec.execute(this::newSession);
        exec.scheduleWithFixedDelay(
                this::watchdog, WATCHDOG_MILLIS, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
        observe();
    }

    /**
     * Steps down and resigns before the context closes, so a successor need not wait for the lease.
     */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            exec.submit(
                            () -> {
                                Session s = session;
                                if (s != null) {
                                    end(s, "shutting down", false);
                                }
                            })
                    .get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("{}: stepping down at shutdown did not finish", config.self().id(), e);
        }
        drainEvents(10_000);
        exec.shutdownNow();
        closeEvents();
        Client c = client;
        if (c != null) {
            c.close();
        }
    }

    // ------------------------------------------------------------------ sessions (scheduler
    // thread)

    private void newSession() {
        if (closed) {
            return;
        }
        Session s = new Session();
        session = s;
        long sent = System.nanoTime();
        client.getLeaseClient()
                .grant(Math.max(1, ttl.toSeconds()))
                .orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync(
                        (grant, error) -> {
                            if (s.ended) {
                                if (grant != null) {
                                    revokeQuietly(grant.getID());
                                }
                                return;
                            }
                            if (error != null) {
                                LOG.warn(
                                        "{}: could not take an etcd lease: {}",
                                        config.self().id(),
                                        describe(error));
                                end(s, "no lease", true);
                                return;
                            }
                            s.leaseId = grant.getID();
                            s.lastRefreshNanos = sent;
                            long every = Math.max(100, ttl.toMillis() / 3);
                            s.keepAlive =
                                    exec.scheduleWithFixedDelay(
                                            () -> keepAlive(s),
                                            every,
                                            every,
                                            TimeUnit.MILLISECONDS);
                            campaign(s);
                        },
                        exec);
    }

    private void campaign(Session s) {
        s.campaign = client.getElectionClient().campaign(election, s.leaseId, proposal);
        s.campaign.whenCompleteAsync(
                (won, error) -> {
                    if (s.ended) {
                        return;
                    }
                    if (error != null) {
                        LOG.warn("{}: campaign failed: {}", config.self().id(), describe(error));
                        end(s, "campaign failed", true);
                        return;
                    }
                    s.key = won.getLeader();
                    long epoch = s.key.getRevision();
                    elected(epoch, () -> session == s && !s.ended && !frozen && alive(s))
                            .whenCompleteAsync(
                                    (leads, e) -> {
                                        if (!Boolean.TRUE.equals(leads) && !s.ended) {
                                            end(
                                                    s,
                                                    "elected with epoch "
                                                            + epoch
                                                            + " but could not take it",
                                                    true);
                                        }
                                    },
                                    exec);
                },
                exec);
    }

    private void keepAlive(Session s) {
        if (s.ended || frozen) {
            return;
        }
        long sent = System.nanoTime();
        client.getLeaseClient()
                .keepAliveOnce(s.leaseId)
                .orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync(
                        (r, error) -> {
                            if (s.ended || frozen) {
                                return;
                            }
                            if (error == null && r.getTTL() > 0) {
                                s.lastRefreshNanos = Math.max(s.lastRefreshNanos, sent);
                            } else if (error == null) {
                                end(s, "etcd says the lease expired", true);
                            } else {
                                LOG.debug(
                                        "{}: keep-alive failed: {}",
                                        config.self().id(),
                                        describe(error));
                            }
                        },
                        exec);
    }

    private boolean alive(Session s) {
        return System.nanoTime() - s.lastRefreshNanos < ttl.toNanos();
    }

    /** The local deadline: no successful keep-alive within one TTL ends the session. */
    private void watchdog() {
        Session s = session;
        if (frozen || s == null || s.ended || s.leaseId == 0) {
            return;
        }
        if (!alive(s)) {
            end(s, "no successful keep-alive within the lease TTL (" + ttl + ")", true);
        }
    }

    /** Ends a session: leadership first, then (best effort) the election key and the lease. */
    private void end(Session s, String reason, boolean again) {
        if (s.ended) {
            return;
        }
        s.ended = true;
        if (session == s) {
            session = null;
        }
        revoked(reason);
        if (s.keepAlive != null) {
            s.keepAlive.cancel(false);
        }
        if (s.campaign != null) {
            s.campaign.cancel(false);
        }
        CompletableFuture<?> resign = CompletableFuture.completedFuture(null);
        if (s.key != null) {
            resign =
                    client.getElectionClient()
                            .resign(s.key)
                            .orTimeout(1, TimeUnit.SECONDS)
                            .exceptionally(e -> null);
        }
        if (s.leaseId != 0) {
            long lease = s.leaseId;
            resign =
                    resign.thenCompose(
                                    x ->
                                            client.getLeaseClient()
                                                    .revoke(lease)
                                                    .orTimeout(1, TimeUnit.SECONDS))
                            .exceptionally(e -> null);
        }
        if (!again) {
            try {
                resign.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("{}: could not resign: {}", config.self().id(), describe(e));
            }
        } else if (!closed) {
            LOG.info("{}: etcd session ended ({}); starting a new one", config.self().id(), reason);
            exec.schedule(this::newSession, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void revokeQuietly(long lease) {
        client.getLeaseClient()
                .revoke(lease)
                .orTimeout(1, TimeUnit.SECONDS)
                .exceptionally(e -> null);
    }

    // ------------------------------------------------------------------ the leader, for followers

    private void observe() {
        if (closed) {
            return;
        }
        client.getElectionClient()
                .leader(election)
                .orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete(
                        (r, e) -> {
                            if (r != null) {
                                observedValue(r);
                            } else if (e != null
                                    && (e instanceof NoLeaderException
                                            || e.getCause() instanceof NoLeaderException)) {
                                observed(null);
                            }
                        });
        client.getElectionClient()
                .observe(
                        election,
                        new Election.Listener() {
                            @Override
                            public void onNext(LeaderResponse r) {
                                observedValue(r);
                            }

                            @Override
                            public void onError(Throwable t) {
                                if (!closed && !(t instanceof NotLeaderException)) {
                                    LOG.debug(
                                            "{}: leader watch failed: {}",
                                            config.self().id(),
                                            describe(t));
                                }
                                reobserve();
                            }

                            @Override
                            public void onCompleted() {
                                reobserve();
                            }
                        });
    }

    private void reobserve() {
        if (!closed) {
            try {
                exec.schedule(this::observe, 1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    private void observedValue(LeaderResponse r) {
        if (r.getKv() == null || r.getKv().getValue() == null) {
            return;
        }
        LeaderInfo.Instance.decode(r.getKv().getValue().toString(StandardCharsets.UTF_8))
                .ifPresent(i -> observed(i.withEpoch(r.getKv().getCreateRevision())));
    }

    private static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null
                && (c instanceof java.util.concurrent.CompletionException
                        || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        return c.toString();
    }

    // ------------------------------------------------------------------ test hooks

    /** Simulates a long pause: no keep-alives and no deadline until {@link #thawForTest()}. */
    void freezeForTest() {
        frozen = true;
    }

    /** Ends the pause; the deadline then notices a lease that lapsed meanwhile. */
    void thawForTest() {
        frozen = false;
    }

    /** The current lease (0 when none), for tests that revoke it from outside. */
    long leaseForTest() {
        Session s = session;
        return s == null ? 0 : s.leaseId;
    }
}
