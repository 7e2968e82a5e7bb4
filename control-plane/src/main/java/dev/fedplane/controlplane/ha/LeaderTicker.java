package dev.fedplane.controlplane.ha;

import dev.fedplane.controlplane.common.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader-only periodic task on its own daemon thread, for the runners that move stored plans
 * along (burst plans, rollouts). On each election the previous worker is stopped, a new one first
 * runs {@code onStart} and then {@code task} every {@code every} (at least 10 ms) with the epoch it
 * was elected with; on revocation, or {@link #stop()} at shutdown, the worker is stopped at once
 * (interrupted, waited for up to 5 s). A failing tick is logged and the next one retries. Register
 * it with {@link Leadership#addListener}; thread-safe.
 */
public final class LeaderTicker implements Leadership.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderTicker.class);

    private final String name;
    private final Duration every;
    private final Runnable onStart;
    private final LongConsumer task;
    private volatile long epoch;
    private ScheduledExecutorService worker;

    /**
     * @param name the worker thread's name, also used in log lines
     * @param onStart run on the worker before the first tick of each leadership (e.g. dropping what
     *     the previous term remembered)
     * @param task one tick, given the epoch it runs under (never 0)
     */
    public LeaderTicker(String name, Duration every, Runnable onStart, LongConsumer task) {
        this.name = name;
        this.every = every;
        this.onStart = onStart;
        this.task = task;
    }

    /** The epoch this instance leads with; 0 when it does not lead. */
    public long epoch() {
        return epoch;
    }

    @Override
    public synchronized void onElected(long newEpoch) {
        stop();
        epoch = newEpoch;
        worker = DaemonThreads.single(name);
        worker.execute(onStart);
        long millis = Math.max(10, every.toMillis());
        worker.scheduleWithFixedDelay(this::tickSafely, millis, millis, TimeUnit.MILLISECONDS);
        LOG.info("{} started with epoch {}", name, newEpoch);
    }

    @Override
    public synchronized void onRevoked() {
        epoch = 0;
        stop();
    }

    /** Stops the worker, if any; idempotent. */
    public synchronized void stop() {
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    private void tickSafely() {
        long ep = epoch;
        if (ep == 0) {
            return;
        }
        try {
            task.accept(ep);
        } catch (RuntimeException e) {
            LOG.warn("{} tick failed; next tick retries: {}", name, e.toString(), e);
        }
    }
}
