package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.events.Changed;
import dev.fedplane.controlplane.events.ChangedElsewhere;
import dev.fedplane.controlplane.ha.Leadership;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With several instances (fedplane.ha etcd or zookeeper) every instance serves the platform API,
 * but only the leader reconciles. Each API write records its {@link Changed} in {@code change_feed}
 * inside its own transaction (so only committed changes appear), and the leader polls the feed
 * every {@code fedplane.ha.change-feed-poll} (200 ms) and publishes what it finds as {@link
 * ChangedElsewhere}. Ids are assigned before commit, so a change may appear behind a higher id: the
 * poll re-reads a window below the highest id seen and skips ids it already handled. Rows older
 * than 10 minutes are pruned. The periodic resync remains the backstop.
 */
@Context
@Requires(property = "fedplane.ha", notEquals = "standalone")
public class ChangeFeed implements Leadership.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int WINDOW = 512;
    private static final long KEEP_MILLIS = Duration.ofMinutes(10).toMillis();

    private final ChangeFeedRepository feed;
    private final ApplicationEventPublisher<ChangedElsewhere> events;
    private final Clock clock;
    private final Duration poll;
    private ScheduledExecutorService timer;
    private long highest;
    private final Set<Long> seen = new LinkedHashSet<>();
    private long lastPrune;

    public ChangeFeed(
            ChangeFeedRepository feed,
            ApplicationEventPublisher<ChangedElsewhere> events,
            Clock clock,
            Leadership leadership,
            @Value("${fedplane.ha.change-feed-poll:200ms}") Duration poll) {
        this.feed = feed;
        this.events = events;
        this.clock = clock;
        this.poll = poll;
        leadership.addListener(this);
    }

    /** Runs in the writing transaction (events are delivered synchronously to this listener). */
    @EventListener
    @Transactional
    public void record(Changed c) {
        feed.save(new ChangeFeedRow(null, c.kind().name(), c.tenant(), c.name(), clock.millis()));
    }

    @Override
    public synchronized void onElected(long epoch) {
        stop();
        highest = feed.maxId(); // the election's full resync covers everything before
        seen.clear();
        timer = DaemonThreads.single("fedplane-change-feed");
        timer.scheduleWithFixedDelay(
                this::pollOnce, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void onRevoked() {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private void pollOnce() {
        try {
            List<ChangeFeedRow> rows = feed.after(Math.max(0, highest - WINDOW), 2 * WINDOW);
            for (ChangeFeedRow row : rows) {
                if (!seen.add(row.id())) {
                    continue;
                }
                highest = Math.max(highest, row.id());
                events.publishEvent(
                        new ChangedElsewhere(
                                new Changed(
                                        Changed.Kind.valueOf(row.kind()),
                                        row.tenant(),
                                        row.name())));
            }
            seen.removeIf(id -> id <= highest - WINDOW);
            long now = clock.millis();
            if (now - lastPrune > 60_000) {
                lastPrune = now;
                feed.prune(now - KEEP_MILLIS);
            }
        } catch (RuntimeException e) {
            LOG.warn("change feed poll failed: {}", e.toString());
        }
    }
}
