package dev.fedplane.controlplane.ha;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Leadership driven by hand, for unit tests: {@link #elect}, {@link #revoke} and {@link #follow}
 * change it at once on the caller's thread. Not a bean.
 */
public final class InMemoryLeadership implements Leadership {
    private final LeaderInfo.Instance self;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile long epoch;
    private volatile LeaderInfo other;

    public InMemoryLeadership(String id, String address) {
        this.self = new LeaderInfo.Instance(id, address);
    }

    public synchronized void elect(long newEpoch) {
        if (newEpoch <= 0) {
            throw new IllegalArgumentException("epochs are positive");
        }
        revoke();
        epoch = newEpoch;
        other = null;
        listeners.forEach(l -> l.onElected(newEpoch));
    }

    public synchronized void revoke() {
        if (epoch == 0) {
            return;
        }
        epoch = 0;
        for (int i = listeners.size() - 1; i >= 0; i--) {
            listeners.get(i).onRevoked();
        }
    }

    /** This instance follows {@code leader} (null: no leader known). */
    public synchronized void follow(LeaderInfo leader) {
        revoke();
        other = leader;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<LeaderInfo> leader() {
        long e = epoch;
        return e > 0 ? Optional.of(self.withEpoch(e)) : Optional.ofNullable(other);
    }

    @Override
    public LeaderInfo.Instance self() {
        return self;
    }

    @Override
    public String mode() {
        return "in-memory";
    }
}
