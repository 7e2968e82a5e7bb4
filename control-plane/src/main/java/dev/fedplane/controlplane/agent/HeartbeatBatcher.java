package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.ha.LeaderEpochs;
import dev.fedplane.controlplane.ha.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes agents' routine heartbeats (a READY cluster whose capacity did not move: only its time and
 * capacity figures change) and acknowledged generations to the store in batches: each is kept in
 * memory, coalesced per cluster (the latest heartbeat, the highest ack), and every {@code
 * fedplane.agent.batch-interval} (1 s) the leader writes what accumulated in one fenced
 * transaction, with one epoch check instead of one per message (at 10,000 agents and 10 s
 * heartbeats, one transaction a second instead of a thousand serialised on the epoch row).
 * Heartbeats that change what the reconciler sees (a cluster becoming READY, capacity moving) are
 * still written at once by {@link AgentSessions}. A failed flush puts its entries back unless newer
 * ones arrived; a flush refused by the fence (this instance no longer leads) drops them.
 */
@Singleton
public class HeartbeatBatcher implements Leadership.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatBatcher.class);

    /** A heartbeat to write: capacity figures and its time. */
    public record Beat(Quantities allocatable, Quantities requested, Quantities managed, long at) {}

    /** What one flush writes. */
    public record Batch(Map<String, Beat> beats, Map<String, Long> acks) {
        public boolean isEmpty() {
            return beats.isEmpty() && acks.isEmpty();
        }
    }

    private final LeaderEpochs epochs;
    private final TransactionOperations<Connection> tx;
    private final Duration interval;
    private final Counter flushes;
    private final Counter written;
    private final Object lock = new Object();
    private Map<String, Beat> beats = new HashMap<>();
    private Map<String, Long> acks = new HashMap<>();
    private volatile long epoch;
    private ScheduledExecutorService timer;

    public HeartbeatBatcher(
            LeaderEpochs epochs,
            TransactionOperations<Connection> tx,
            Leadership leadership,
            MeterRegistry meters,
            @Value("${fedplane.agent.batch-interval:1s}") Duration interval) {
        this.epochs = epochs;
        this.tx = tx;
        this.interval = interval;
        this.flushes =
                Counter.builder("fedplane_agent_batch_flushes")
                        .description("Batched writes of heartbeats and acks")
                        .register(meters);
        this.written =
                Counter.builder("fedplane_agent_batch_rows")
                        .description("Heartbeats and acks written by batched writes")
                        .register(meters);
        leadership.addListener(this);
    }

    @Override
    public synchronized void onElected(long newEpoch) {
        stopTimer();
        drain();
        epoch = newEpoch;
        timer = DaemonThreads.single("fedplane-heartbeat-batch");
        long every = Math.max(10, interval.toMillis());
        timer.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void onRevoked() {
        epoch = 0;
        stopTimer();
        drain();
    }

    @PreDestroy
    synchronized void close() {
        if (epoch != 0) {
            flush();
        }
        epoch = 0;
        stopTimer();
    }

    private void stopTimer() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** Keeps {@code cluster}'s heartbeat for the next flush (a later one replaces it). */
    public void heartbeat(String cluster, Beat beat) {
        synchronized (lock) {
            beats.merge(cluster, beat, (a, b) -> a.at() >= b.at() ? a : b);
        }
    }

    /** Keeps {@code cluster}'s acknowledged generation for the next flush (the highest wins). */
    public void ack(String cluster, long generation) {
        synchronized (lock) {
            acks.merge(cluster, generation, Math::max);
        }
    }

    /** Takes everything kept so far. */
    public Batch drain() {
        synchronized (lock) {
            Batch b = new Batch(new TreeMap<>(beats), new TreeMap<>(acks));
            beats = new HashMap<>();
            acks = new HashMap<>();
            return b;
        }
    }

    /** Puts back a batch that could not be written, under anything newer kept meanwhile. */
    public void restore(Batch b) {
        synchronized (lock) {
            b.beats()
                    .forEach((c, beat) -> beats.merge(c, beat, (a, x) -> a.at() >= x.at() ? a : x));
            b.acks().forEach((c, g) -> acks.merge(c, g, Math::max));
        }
    }

    /** Writes what was kept, in one fenced transaction; public for tests. */
    public void flush() {
        long ep = epoch;
        if (ep == 0) {
            return;
        }
        Batch b = drain();
        if (b.isEmpty()) {
            return;
        }
        try {
            tx.executeWrite(
                    status -> {
                        // First, like every fenced write: checking last would take the epoch
                        // lock while holding cluster rows that a heartbeat written at once (epoch
                        // lock first) may wait for.
                        epochs.check(ep);
                        write(status.getConnection(), b);
                        return null;
                    });
            flushes.increment();
            written.increment(b.beats().size() + b.acks().size());
        } catch (RuntimeException e) {
            if (epoch == ep && epochs.highest() <= ep) {
                LOG.warn("batched heartbeat write failed; retrying: {}", e.toString());
                restore(b);
            } else {
                LOG.info("batched heartbeats dropped: this instance no longer leads");
            }
        }
    }

    private static void write(Connection c, Batch b) {
        try {
            if (!b.beats().isEmpty()) {
                try (PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE clusters SET alloc_cpu_millis = ?, alloc_memory_mib = ?, alloc_pods = ?, "
                                        + "req_cpu_millis = ?, req_memory_mib = ?, req_pods = ?, managed_cpu_millis = ?, "
                                        + "managed_memory_mib = ?, managed_pods = ?, last_heartbeat = ? "
                                        + "WHERE name = ? AND last_heartbeat < ?")) {
                    for (Map.Entry<String, Beat> e : b.beats().entrySet()) {
                        Beat beat = e.getValue();
                        s.setLong(1, beat.allocatable().cpuMillis());
                        s.setLong(2, beat.allocatable().memoryMiB());
                        s.setLong(3, beat.allocatable().pods());
                        s.setLong(4, beat.requested().cpuMillis());
                        s.setLong(5, beat.requested().memoryMiB());
                        s.setLong(6, beat.requested().pods());
                        s.setLong(7, beat.managed().cpuMillis());
                        s.setLong(8, beat.managed().memoryMiB());
                        s.setLong(9, beat.managed().pods());
                        s.setLong(10, beat.at());
                        s.setString(11, e.getKey());
                        s.setLong(12, beat.at());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            if (!b.acks().isEmpty()) {
                try (PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE cluster_desired_state SET acked_generation = ? "
                                        + "WHERE cluster = ? AND acked_generation < ?")) {
                    for (Map.Entry<String, Long> e : b.acks().entrySet()) {
                        s.setLong(1, e.getValue());
                        s.setString(2, e.getKey());
                        s.setLong(3, e.getValue());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("batched heartbeat write: " + e.getMessage(), e);
        }
    }
}
