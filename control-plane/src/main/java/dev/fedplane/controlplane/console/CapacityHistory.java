package dev.fedplane.controlplane.console;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterService;
import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.common.Quantities;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every cluster's capacity over time, for the console's cluster page: one sample per cluster every
 * {@code fedplane.console.sample-interval}, the last {@code fedplane.console.history-samples} kept
 * in memory (not stored: a restarted instance starts a new history). Each instance samples the
 * store on its own thread, so followers show the same history as the leader. Thread-safe: readers
 * get a copy.
 */
@Singleton
public class CapacityHistory implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(CapacityHistory.class);

    /** One sample: when, and the cluster's allocatable and requested capacity then. */
    public record Sample(long at, String state, Quantities allocatable, Quantities requested) {}

    private final ClusterService clusters;
    private final ConsoleEvents events;
    private final Clock clock;
    private final Duration interval;
    private final int keep;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private ScheduledExecutorService exec;

    public CapacityHistory(
            ClusterService clusters,
            ConsoleEvents events,
            Clock clock,
            @Value("${fedplane.console.sample-interval:15s}") Duration interval,
            @Value("${fedplane.console.history-samples:240}") int keep) {
        this.clusters = clusters;
        this.events = events;
        this.clock = clock;
        this.interval = interval;
        this.keep = Math.max(2, keep);
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (exec != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        exec = DaemonThreads.single("fedplane-console-sampler");
        exec.scheduleWithFixedDelay(
                this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    synchronized void stop() {
        if (exec != null) {
            exec.shutdownNow();
            exec = null;
        }
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // A store hiccup costs one sample; the next run tries again.
            LOG.warn("console capacity sample failed: {}", e.toString());
        }
    }

    /** Takes one sample of every cluster now; drops the history of clusters that are gone. */
    public void sample() {
        long now = clock.millis();
        Set<String> seen = new HashSet<>();
        for (Cluster c : clusters.all()) {
            seen.add(c.name());
            rings.computeIfAbsent(c.name(), n -> new Ring(keep))
                    .add(new Sample(now, c.state().name(), c.allocatable(), c.requested()));
        }
        rings.keySet().retainAll(seen);
        events.publish(ConsoleEvents.Event.capacitySampled(now));
    }

    /** The cluster's samples, oldest first; empty when it has none (yet). */
    public List<Sample> of(String cluster) {
        Ring r = rings.get(cluster);
        return r == null ? List.of() : r.snapshot();
    }

    private static final class Ring {
        private final Sample[] samples;
        private int next;
        private int size;

        Ring(int capacity) {
            samples = new Sample[capacity];
        }

        synchronized void add(Sample s) {
            samples[next] = s;
            next = (next + 1) % samples.length;
            size = Math.min(size + 1, samples.length);
        }

        synchronized List<Sample> snapshot() {
            List<Sample> out = new ArrayList<>(size);
            int start = (next - size + samples.length) % samples.length;
            for (int i = 0; i < size; i++) {
                out.add(samples[(start + i) % samples.length]);
            }
            return out;
        }
    }
}
