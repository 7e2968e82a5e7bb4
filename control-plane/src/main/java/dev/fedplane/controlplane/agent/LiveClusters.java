package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.common.Quantities;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leader's in-memory view of the clusters that have agents: each one's health, last heartbeat
 * and last reported capacity. Heartbeats update it at once (the store gets them in batches, {@link
 * HeartbeatBatcher}); health tracking reads it instead of reading every cluster from the store on
 * each round. A new leadership starts it empty and fills it from the store once ({@link #load});
 * what a heartbeat already put in is kept. Thread-safe: an entry's fields are read and changed
 * while holding the entry's monitor.
 */
@Singleton
public class LiveClusters {

    /** One cluster's live state; guarded by its own monitor. */
    public static final class Entry {
        private final String name;
        Cluster.Health health;
        long lastHeartbeat;
        Quantities allocatable;
        Quantities unmanaged;

        Entry(
                String name,
                Cluster.Health health,
                long lastHeartbeat,
                Quantities allocatable,
                Quantities unmanaged) {
            this.name = name;
            this.health = health;
            this.lastHeartbeat = lastHeartbeat;
            this.allocatable = allocatable;
            this.unmanaged = unmanaged;
        }

        public String name() {
            return name;
        }

        public synchronized Cluster.Health health() {
            return health;
        }

        public synchronized long lastHeartbeat() {
            return lastHeartbeat;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Forgets everything (a leadership ended or began). */
    public void clear() {
        entries.clear();
    }

    /**
     * Adds the clusters read from the store that are not known yet (a heartbeat that arrived
     * meanwhile is newer than the store).
     */
    public void load(List<Cluster> clusters) {
        for (Cluster c : clusters) {
            entries.putIfAbsent(c.name(), fromStore(c));
        }
    }

    /** The cluster's entry, or null. */
    public Entry get(String name) {
        return entries.get(name);
    }

    /** The cluster's entry, made PENDING and never heard from when unknown. */
    Entry getOrAdd(String name) {
        return entries.computeIfAbsent(
                name,
                n -> new Entry(n, Cluster.Health.PENDING, 0, Quantities.ZERO, Quantities.ZERO));
    }

    /** Forgets one cluster (it no longer exists). */
    public void remove(String name) {
        entries.remove(name);
    }

    /** Every entry now (a copy). */
    public List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    public int size() {
        return entries.size();
    }

    /** Sets {@code e} to what the store says of its cluster (the later heartbeat wins). */
    static void refresh(Entry e, Cluster c) {
        synchronized (e) {
            e.health = c.health();
            e.lastHeartbeat = Math.max(e.lastHeartbeat, c.lastHeartbeat());
            e.allocatable = c.allocatable();
            e.unmanaged = c.unmanagedRequested();
        }
    }

    private static Entry fromStore(Cluster c) {
        return new Entry(
                c.name(), c.health(), c.lastHeartbeat(), c.allocatable(), c.unmanagedRequested());
    }
}
