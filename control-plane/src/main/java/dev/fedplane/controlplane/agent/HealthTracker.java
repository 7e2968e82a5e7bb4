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
    private final ApplicationEventPublisher<ClusterConditionChanged> events;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final int missedHeartbeats;
    private final Duration lostAfter;
    private final Duration checkEvery;
    private volatile long epoch;
    private volatile long electedAt;
    private ScheduledExecutorService timer;

    public HealthTracker(
            AgentStore store,
            ApplicationEventPublisher<ClusterConditionChanged> events,
            Clock clock,
            Leadership leadership,
            @Value("${fedplane.agent.heartbeat-interval:10s}") Duration heartbeatInterval,
            @Value("${fedplane.health.missed-heartbeats:3}") int missedHeartbeats,
            @Value("${fedplane.health.lost-after:40s}") Duration lostAfter,
            @Value("${fedplane.health.check-interval:250ms}") Duration checkEvery) {
        this.store = store;
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
        epoch = newEpoch;
        electedAt = clock.millis();
        timer = DaemonThreads.single("fedplane-health");
        timer.scheduleWithFixedDelay(
                this::check, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void onRevoked() {
        epoch = 0;
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** One round over every cluster; public for tests that drive time. */
    public void check() {
        long ep = epoch;
        if (ep == 0) {
            return;
        }
        try {
            long now = clock.millis();
            for (Cluster c : store.clusters()) {
                if (c.lastHeartbeat() == 0) {
                    continue;
                }
                long silentFor = now - Math.max(c.lastHeartbeat(), electedAt);
                if (c.health() == Cluster.Health.READY
                        && silentFor > heartbeatInterval.toMillis() * missedHeartbeats) {
                    if (store.transition(
                            ep, c.name(), Cluster.Health.READY, Cluster.Health.NOT_READY)) {
                        LOG.warn(
                                "cluster {} is NOT_READY: no heartbeat for {} ms",
                                c.name(),
                                silentFor);
                        events.publishEvent(new ClusterConditionChanged(c.name(), "NOT_READY"));
                    }
                }
                if ((c.health() == Cluster.Health.READY || c.health() == Cluster.Health.NOT_READY)
                        && silentFor > lostAfter.toMillis()) {
                    if (store.transition(
                            ep, c.name(), Cluster.Health.NOT_READY, Cluster.Health.LOST)) {
                        LOG.warn(
                                "cluster {} is LOST: no heartbeat for {} ms; its replicas move",
                                c.name(),
                                silentFor);
                        events.publishEvent(new ClusterConditionChanged(c.name(), "LOST"));
                    }
                }
            }
        } catch (RuntimeException e) {
            if (epoch == ep) {
                LOG.warn("health check failed: {}", e.toString());
            }
        }
    }
}
