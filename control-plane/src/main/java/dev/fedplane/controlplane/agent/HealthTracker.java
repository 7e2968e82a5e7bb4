package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.events.ClusterConditionChanged;
import dev.fedplane.controlplane.ha.Leadership;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's health tracking of clusters with agents. A READY cluster whose last heartbeat is
 * older than {@code missed-heartbeats} intervals (3) becomes NOT_READY; one silent for the grace
 * period (40 s) becomes LOST, and the reconciler moves its replicas (each stored transition is
 * published as {@link ClusterConditionChanged}). A heartbeat makes it READY again ({@link
 * AgentSessions}). Clusters that never sent a heartbeat (added by an admin, without an agent) are
 * not tracked. A new leader counts silence from its election, not from the last heartbeat the
 * previous leader saw, so agents have time to reconnect.
 */
@Context
public class HealthTracker implements Leadership.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HealthTracker.class);

    private final AgentStore store;
    private final LiveClusters live;
    private final ApplicationEventPublisher<ClusterConditionChanged> events;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final int missedHeartbeats;
    private final Duration lostAfter;
    private final Duration checkEvery;
    private volatile long epoch;
    private volatile long electedAt;
    private volatile boolean loaded;
    private ScheduledExecutorService timer;

    public HealthTracker(
            AgentStore store,
            LiveClusters live,
            ApplicationEventPublisher<ClusterConditionChanged> events,
            Clock clock,
            Leadership leadership,
            @Value("${fedplane.agent.heartbeat-interval:10s}") Duration heartbeatInterval,
            @Value("${fedplane.health.missed-heartbeats:3}") int missedHeartbeats,
            @Value("${fedplane.health.lost-after:40s}") Duration lostAfter,
            @Value("${fedplane.health.check-interval:250ms}") Duration checkEvery) {
        this.store = store;
        this.live = live;
        this.events = events;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.missedHeartbeats = missedHeartbeats;
        this.lostAfter = lostAfter;
        this.checkEvery = checkEvery;
        leadership.addListener(this);
    }

    @Override
    public synchronized void onElected(long newEpoch) {
        stop();
        loaded = false;
        epoch = newEpoch;
        electedAt = clock.millis();
        live.clear();
        timer = DaemonThreads.single("fedplane-health");
        timer.execute(this::load);
        timer.scheduleWithFixedDelay(
                this::check, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void onRevoked() {
        epoch = 0;
        stop();
        live.clear();
    }

    /** Fills {@link LiveClusters} from the store once per leadership (retried by each check). */
    private void load() {
        try {
            live.load(store.clusters());
            loaded = true;
        } catch (RuntimeException e) {
            LOG.warn("reading the clusters for health tracking failed: {}", e.toString());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /**
     * What a cluster's health becomes after {@code silentFor} ms without a heartbeat: READY turns
     * NOT_READY after {@code notReadyAfter}; READY or NOT_READY turns LOST after {@code lostAfter};
     * anything else stays.
     */
    static Cluster.Health next(
            Cluster.Health health, long silentFor, long notReadyAfter, long lostAfter) {
        if ((health == Cluster.Health.READY || health == Cluster.Health.NOT_READY)
                && silentFor > lostAfter) {
            return Cluster.Health.LOST;
        }
        if (health == Cluster.Health.READY && silentFor > notReadyAfter) {
            return Cluster.Health.NOT_READY;
        }
        return health;
    }

    /**
     * One round over every cluster, from memory ({@link LiveClusters}); only transitions touch the
     * store. Public for tests that drive time.
     */
    public void check() {
        long ep = epoch;
        if (ep == 0) {
            return;
        }
        if (!loaded) {
            load();
        }
        long now = clock.millis();
        for (LiveClusters.Entry e : live.all()) {
            try {
                check(ep, e, now);
            } catch (RuntimeException ex) {
                if (epoch == ep) {
                    LOG.warn("health check of cluster {} failed: {}", e.name(), ex.toString());
                }
            }
        }
    }

    private void check(long ep, LiveClusters.Entry e, long now) {
        synchronized (e) {
            if (e.lastHeartbeat == 0) {
                return;
            }
            long silentFor = now - Math.max(e.lastHeartbeat, electedAt);
            Cluster.Health to =
                    next(
                            e.health,
                            silentFor,
                            heartbeatInterval.toMillis() * missedHeartbeats,
                            lostAfter.toMillis());
            if (to == e.health) {
                return;
            }
            if (e.health == Cluster.Health.READY) {
                if (!store.transition(
                        ep, e.name(), Cluster.Health.READY, Cluster.Health.NOT_READY)) {
                    refresh(e);
                    return;
                }
                e.health = Cluster.Health.NOT_READY;
                LOG.warn("cluster {} is NOT_READY: no heartbeat for {} ms", e.name(), silentFor);
                events.publishEvent(new ClusterConditionChanged(e.name(), "NOT_READY"));
            }
            if (to == Cluster.Health.LOST) {
                if (!store.transition(
                        ep, e.name(), Cluster.Health.NOT_READY, Cluster.Health.LOST)) {
                    refresh(e);
                    return;
                }
                e.health = Cluster.Health.LOST;
                LOG.warn(
                        "cluster {} is LOST: no heartbeat for {} ms; its replicas move",
                        e.name(),
                        silentFor);
                events.publishEvent(new ClusterConditionChanged(e.name(), "LOST"));
            }
        }
    }

    /** The store did not hold what memory did: memory takes the store's view. */
    private void refresh(LiveClusters.Entry e) {
        Optional<Cluster> c = store.cluster(e.name());
        if (c.isEmpty()) {
            live.remove(e.name());
        } else {
            LiveClusters.refresh(e, c.get());
        }
    }
}
