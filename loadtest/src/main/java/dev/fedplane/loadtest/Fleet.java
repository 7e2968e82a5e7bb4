package dev.fedplane.loadtest;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated clusters of a fleet run and what they hold together: for every app, the replicas
 * its live agents acknowledged in all and when that total last changed. A stream that ends on its
 * own (the control plane went away) is reopened with capped exponential backoff and jitter, as the
 * real agent does. Thread-safe.
 */
final class Fleet implements SimAgent.Listener {

    /** An app's acknowledged replicas over the live agents, and the time of the last change. */
    static final class Total {
        volatile int replicas; // written under the map's lock for the key (compute)
        volatile long changedNanos;
    }

    private final ManagedChannel channel;
    private final ScheduledExecutorService scheduler;
    final Map<String, SimAgent> agents = new ConcurrentHashMap<>();
    private final Map<String, Total> totals = new ConcurrentHashMap<>();

    /** Last time each agent acknowledged a full desired state. */
    final Map<String, Long> fullAckedAt = new ConcurrentHashMap<>();

    final AtomicInteger streamErrors = new AtomicInteger();
    final AtomicLong reconnects = new AtomicLong();
    private final Map<String, Integer> backoffMillis = new ConcurrentHashMap<>();

    Fleet(ManagedChannel channel, ScheduledExecutorService scheduler) {
        this.channel = channel;
        this.scheduler = scheduler;
    }

    SimAgent add(String name, Map<String, String> labels) {
        SimAgent a = new SimAgent(channel, name, labels, scheduler, this);
        agents.put(name, a);
        return a;
    }

    Collection<SimAgent> live() {
        List<SimAgent> list = new ArrayList<>();
        for (SimAgent a : agents.values()) {
            if (!a.dead) {
                list.add(a);
            }
        }
        return list;
    }

    @Override
    public void changed(SimAgent agent, String key, int before, int replicas, long nanos) {
        totals.compute(
                key,
                (k, t) -> {
                    Total total = t == null ? new Total() : t;
                    total.replicas += replicas - before;
                    total.changedNanos = Math.max(total.changedNanos, nanos);
                    return total;
                });
    }

    @Override
    public void fullAcked(SimAgent agent, long nanos) {
        fullAckedAt.put(agent.name, nanos);
        backoffMillis.remove(agent.name);
    }

    @Override
    public void streamEnded(SimAgent agent, Status status) {
        streamErrors.incrementAndGet();
        int backoff = backoffMillis.merge(agent.name, 100, (a, b) -> Math.min(5_000, a * 2));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        scheduler.schedule(
                () -> {
                    if (!agent.dead && !agent.connected()) {
                        reconnects.incrementAndGet();
                        agent.connect();
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    /** Kills an agent for good; its replicas stop counting. */
    void kill(SimAgent agent) {
        synchronized (agent) {
            agent.kill();
            long now = System.nanoTime();
            for (Map.Entry<String, Integer> e : agent.applied.entrySet()) {
                changed(agent, e.getKey(), e.getValue(), 0, now);
            }
        }
    }

    /** The acknowledged total of an app over the live agents (0 when none). */
    int replicasOf(String key) {
        Total t = totals.get(key);
        return t == null ? 0 : t.replicas;
    }

    /** When the app's acknowledged total last changed (0 when never). */
    long changedAt(String key) {
        Total t = totals.get(key);
        return t == null ? 0 : t.changedNanos;
    }

    /**
     * Waits until every app holds its expected total over the live agents; returns the time of the
     * last change that made it so, or -1 at the deadline.
     */
    long awaitTotals(Map<String, Integer> expected, long deadlineNanos)
            throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            long last = 0;
            boolean complete = true;
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                if (replicasOf(e.getKey()) != e.getValue()) {
                    complete = false;
                    break;
                }
                last = Math.max(last, changedAt(e.getKey()));
            }
            if (complete) {
                return last;
            }
            Thread.sleep(2);
        }
        return -1;
    }

    /**
     * Waits until every live agent has a stream open; returns when that was seen, or -1 at the
     * deadline.
     */
    long awaitAllConnected(long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            if (live().stream().allMatch(SimAgent::connected)) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /**
     * Waits until every live agent has a stream and those in {@code mustResync} acknowledged a full
     * state after {@code sinceNanos}; returns the time of the last such acknowledgement.
     */
    long awaitResynced(Collection<String> mustResync, long sinceNanos, long deadlineNanos)
            throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            long last = sinceNanos;
            boolean complete = live().stream().allMatch(SimAgent::connected);
            for (String name : mustResync) {
                SimAgent a = agents.get(name);
                if (a == null || a.dead) {
                    continue;
                }
                Long at = fullAckedAt.get(name);
                if (at == null || at < sinceNanos) {
                    complete = false;
                    break;
                }
                last = Math.max(last, at);
            }
            if (complete) {
                return last;
            }
            Thread.sleep(5);
        }
        return -1;
    }
}
