package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.events.ClusterConditionChanged;
import dev.fedplane.controlplane.ha.Leadership;
import dev.fedplane.controlplane.placement.DesiredState;
import dev.fedplane.controlplane.placement.DesiredStates;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's agent streams, one per cluster (a newer stream replaces an older one), and the
 * latest desired state of every cluster, which the reconciler hands over after storing it.
 * Followers hold no streams. Thread-safe.
 */
@Singleton
public class AgentSessions implements Leadership.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSessions.class);

    private final Map<String, AgentStream> sessions = new ConcurrentHashMap<>();
    private final Map<String, DesiredStates.Numbered> latest = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> drift =
            new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final AgentStore store;
    private final LiveClusters live;
    private final HeartbeatBatcher batcher;
    private final WorkloadReports reports;
    private final Leadership leadership;
    private final ApplicationEventPublisher<ClusterConditionChanged> events;
    private final Clock clock;
    private final Duration retryAfterFailure;
    private final AckTimeout ackTimeout;
    private final io.micrometer.core.instrument.Counter ackTimeouts;
    private final ScheduledExecutorService timers = DaemonThreads.single("fedplane-agent-sessions");

    public AgentSessions(
            AgentStore store,
            LiveClusters live,
            HeartbeatBatcher batcher,
            WorkloadReports reports,
            Leadership leadership,
            ApplicationEventPublisher<ClusterConditionChanged> events,
            Clock clock,
            MeterRegistry meters,
            @Value("${fedplane.agent.retry-after-failure:5s}") Duration retryAfterFailure,
            @Value("${fedplane.agent.ack-timeout:10s}") Duration ackTimeoutBase,
            @Value("${fedplane.agent.ack-timeout-max:2m}") Duration ackTimeoutMax,
            @Value("${fedplane.agent.ack-max-resends:5}") int ackMaxResends) {
        this.store = store;
        this.live = live;
        this.batcher = batcher;
        this.reports = reports;
        this.leadership = leadership;
        this.events = events;
        this.clock = clock;
        this.retryAfterFailure = retryAfterFailure;
        this.ackTimeout = new AckTimeout(ackTimeoutBase, ackTimeoutMax, ackMaxResends);
        this.ackTimeouts =
                io.micrometer.core.instrument.Counter.builder("fedplane_agent_ack_timeouts")
                        .description(
                                "Desired states sent again because the agent did not acknowledge them in time")
                        .register(meters);
        this.meters = meters;
        Gauge.builder("fedplane_agent_streams", sessions, Map::size)
                .description("Connected agent streams")
                .register(meters);
        leadership.addListener(this);
    }

    @Override
    public void onElected(long epoch) {
        latest.clear();
    }

    @Override
    public void onRevoked() {
        for (AgentStream s : sessions.values()) {
            s.closeNotLeader();
        }
        sessions.clear();
        latest.clear();
        reports.clear();
    }

    @PreDestroy
    void close() {
        onRevoked();
        timers.shutdownNow();
    }

    /** A new, authenticated stream of its cluster: replaces the cluster's previous one. */
    public void open(AgentStream s) {
        AgentStream old = sessions.put(s.cluster(), s);
        if (old != null) {
            LOG.info("cluster {}: a new stream replaces the previous one", s.cluster());
            old.closeReplaced();
        }
    }

    /** The stream ended. */
    public void closed(AgentStream s) {
        sessions.remove(s.cluster(), s);
    }

    /** The reconciler stored a cluster's new desired state: send it if its agent is connected. */
    public void desiredChanged(String cluster, long generation, DesiredState state) {
        latest.merge(
                cluster,
                new DesiredStates.Numbered(generation, state, 0),
                (a, b) -> a.generation() >= b.generation() ? a : b);
        AgentStream s = sessions.get(cluster);
        if (s != null) {
            s.pump();
        }
    }

    /** The cluster's latest desired state and generation. */
    public DesiredStates.Numbered desired(String cluster) {
        DesiredStates.Numbered known = latest.get(cluster);
        if (known != null) {
            return known;
        }
        DesiredStates.Numbered stored = store.desired(cluster);
        return latest.merge(cluster, stored, (a, b) -> a.generation() >= b.generation() ? a : b);
    }

    /** The epoch to stamp on messages; 0 when this instance does not lead. */
    public long epoch() {
        return leadership.epoch();
    }

    /**
     * An agent acknowledged a generation: written with the next batch ({@link HeartbeatBatcher}).
     */
    public void acked(String cluster, long generation) {
        batcher.ack(cluster, generation);
    }

    /**
     * Calls {@code onTimeout} after the ack timeout for {@code misses} timeouts in a row (doubling,
     * capped); the session checks then whether what it sent is still unacknowledged.
     */
    public void awaitAck(int misses, Runnable onTimeout) {
        try {
            timers.schedule(onTimeout, ackTimeout.delayMillis(misses), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closing
        }
    }

    /** A desired state was not acknowledged in time; true when the session should give up. */
    public boolean ackTimedOut(String cluster, int misses) {
        ackTimeouts.increment();
        boolean giveUp = ackTimeout.givesUp(misses);
        LOG.warn(
                "cluster {}: no ack after {} timeout(s) in a row; {}",
                cluster,
                misses,
                giveUp ? "closing the stream" : "sending the full state again");
        return giveUp;
    }

    /** Sends again after a pause (after a failed apply). */
    public void retryLater(AgentStream s) {
        timers.schedule(s::pump, retryAfterFailure.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * An agent's count of drift corrections (managed objects edited or deleted by hand that it put
     * back), as {@code fedplane_agent_drift_corrections_total{cluster}}; logged when it rises.
     */
    public void driftCorrections(String cluster, long total) {
        java.util.concurrent.atomic.AtomicLong v =
                drift.computeIfAbsent(
                        cluster,
                        c -> {
                            java.util.concurrent.atomic.AtomicLong a =
                                    new java.util.concurrent.atomic.AtomicLong();
                            Gauge.builder(
                                            "fedplane_agent_drift_corrections_total",
                                            a,
                                            java.util.concurrent.atomic.AtomicLong::get)
                                    .description(
                                            "Managed objects an agent restored after they were changed by hand (since the agent started)")
                                    .tag("cluster", c)
                                    .register(meters);
                            return a;
                        });
        long before = v.getAndSet(total);
        if (total > before) {
            LOG.warn(
                    "cluster {}: the agent corrected {} drifted object(s) (total {})",
                    cluster,
                    total - before,
                    total);
        }
    }

    public void report(String cluster, Iterable<WorkloadReports.Report> r) {
        reports.report(cluster, r);
    }

    /**
     * A heartbeat: capacity and READY. A cluster that was not READY before, or whose capacity moved
     * past the threshold, is written at once and publishes {@link ClusterConditionChanged} (the
     * reconciler looks at every app); any other heartbeat only updates {@link LiveClusters} and is
     * written with the next batch ({@link HeartbeatBatcher}).
     */
    public void heartbeat(
            String cluster, Quantities allocatable, Quantities requested, Quantities managed) {
        long now = clock.millis();
        Quantities unmanaged = requested.minusFloored(managed);
        LiveClusters.Entry e = live.getOrAdd(cluster);
        Cluster b;
        synchronized (e) {
            if (e.health == Cluster.Health.READY
                    && !capacityMoved(e.allocatable, e.unmanaged, allocatable, unmanaged)) {
                e.lastHeartbeat = Math.max(e.lastHeartbeat, now);
                e.allocatable = allocatable;
                e.unmanaged = unmanaged;
                batcher.heartbeat(
                        cluster, new HeartbeatBatcher.Beat(allocatable, requested, managed, now));
                return;
            }
            Optional<Cluster> before =
                    store.heartbeat(epoch(), cluster, allocatable, requested, managed, now);
            if (before.isEmpty()) {
                live.remove(cluster);
                return;
            }
            b = before.get();
            e.health = Cluster.Health.READY;
            e.lastHeartbeat = Math.max(e.lastHeartbeat, now);
            e.allocatable = allocatable;
            e.unmanaged = unmanaged;
        }
        if (b.health() != Cluster.Health.READY) {
            LOG.info("cluster {} is READY (was {})", cluster, b.health());
            events.publishEvent(
                    new ClusterConditionChanged(cluster, "READY (was " + b.health() + ")"));
        } else if (capacityMoved(
                b.allocatable(),
                b.unmanagedRequested(),
                allocatable,
                requested.minusFloored(managed))) {
            events.publishEvent(new ClusterConditionChanged(cluster, "capacity moved"));
        }
    }

    /**
     * Allocatable changed, or unmanaged requests moved by more than 5% of allocatable in CPU or
     * memory.
     */
    static boolean capacityMoved(
            Quantities allocBefore,
            Quantities unmanagedBefore,
            Quantities alloc,
            Quantities unmanaged) {
        if (!allocBefore.equals(alloc)) {
            return true;
        }
        return Math.abs(unmanaged.cpuMillis() - unmanagedBefore.cpuMillis()) * 20
                        > alloc.cpuMillis()
                || Math.abs(unmanaged.memoryMiB() - unmanagedBefore.memoryMiB()) * 20
                        > alloc.memoryMiB()
                || Math.abs(unmanaged.pods() - unmanagedBefore.pods()) * 20 > alloc.pods();
    }
}
