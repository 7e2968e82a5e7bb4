package dev.fedplane.controlplane.ha;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fedplane.ha=standalone} (the default): this single instance leads from start to shutdown.
 * Each start takes the next epoch in the store, so epochs keep growing across restarts and an agent
 * that saw the previous process's messages accepts the new one's.
 */
@Singleton
@Requires(property = "fedplane.ha", value = "standalone", defaultValue = "standalone")
public class StandaloneLeadership implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneLeadership.class);

    private final LeaderEpochs epochs;
    private final LeaderInfo.Instance self;
    private final String instanceId;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile long epoch;

    public StandaloneLeadership(LeaderEpochs epochs, HaConfiguration config) {
        this.epochs = epochs;
        this.self = config.self();
        this.instanceId = self.id();
    }

    @Override
    public Optional<LeaderInfo> leader() {
        long e = epoch;
        return e > 0 ? Optional.of(self.withEpoch(e)) : Optional.empty();
    }

    @Override
    public LeaderInfo.Instance self() {
        return self;
    }

    @Override
    public String mode() {
        return "standalone";
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
        if (epoch > 0) {
            listener.onElected(epoch);
        }
    }

    /** Takes the next epoch once the servers are up, then starts the leader-only services. */
    @Singleton
    @Requires(property = "fedplane.ha", value = "standalone", defaultValue = "standalone")
    static final class Starter implements ApplicationEventListener<ServerStartupEvent> {
        private final StandaloneLeadership leadership;

        Starter(StandaloneLeadership leadership) {
            this.leadership = leadership;
        }

        @Override
        public void onApplicationEvent(ServerStartupEvent event) {
            leadership.elect();
        }
    }

    /** Revokes leadership before the context closes, in reverse order of the listeners. */
    @Singleton
    @Requires(property = "fedplane.ha", value = "standalone", defaultValue = "standalone")
    static final class Stopper implements ApplicationEventListener<ShutdownEvent> {
        private final StandaloneLeadership leadership;

        Stopper(StandaloneLeadership leadership) {
            this.leadership = leadership;
        }

        @Override
        public void onApplicationEvent(ShutdownEvent event) {
            leadership.revoke();
        }
    }

    synchronized void elect() {
        if (epoch > 0) {
            return;
        }
        long next = epochs.takeNext(instanceId);
        epoch = next;
        LOG.info("standalone leader {} with epoch {}", instanceId, next);
        for (Listener l : listeners) {
            l.onElected(next);
        }
    }

    synchronized void revoke() {
        if (epoch == 0) {
            return;
        }
        epoch = 0;
        for (int i = listeners.size() - 1; i >= 0; i--) {
            listeners.get(i).onRevoked();
        }
    }
}
