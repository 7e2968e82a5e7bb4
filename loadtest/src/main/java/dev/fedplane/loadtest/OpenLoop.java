package dev.fedplane.loadtest;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Recorder;

/**
 * An open-loop driver: request i is due at {@code start + i / rate} whatever happened to earlier
 * ones, and its latency counts from when it was due, so a slow server cannot hide queueing (no
 * coordinated omission). At most {@code maxInFlight} calls are outstanding; waiting for a slot
 * counts as latency too. One thread paces; completions run on gRPC's threads.
 */
final class OpenLoop {
    /** Latencies and failures of one operation over one run. */
    record Result(
            String op,
            long sent,
            long failed,
            double seconds,
            org.HdrHistogram.Histogram latencyNanos,
            String firstError) {
        double achievedRate() {
            return sent / seconds;
        }
    }

    private OpenLoop() {}

    /**
     * Told of every call's end: its index, when it was due, when it ended, and its failure (null if
     * none).
     */
    interface Completion {
        void completed(long index, long dueNanos, long endNanos, Throwable failure);
    }

    static Result run(
            String op,
            double ratePerSecond,
            Duration duration,
            int maxInFlight,
            LongFunction<ListenableFuture<?>> call)
            throws InterruptedException {
        return run(op, ratePerSecond, duration, maxInFlight, call, (i, due, end, failure) -> {});
    }

    static Result run(
            String op,
            double ratePerSecond,
            Duration duration,
            int maxInFlight,
            LongFunction<ListenableFuture<?>> call,
            Completion completion)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstError =
                new java.util.concurrent.atomic.AtomicReference<>();
        Semaphore slots = new Semaphore(maxInFlight);
        long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        long total = (long) (ratePerSecond * duration.toNanos() / 1e9);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long index = i;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            ListenableFuture<?> f;
            try {
                f = call.apply(i);
            } catch (RuntimeException e) {
                slots.release();
                failed.incrementAndGet();
                firstError.compareAndSet(null, e.toString());
                completion.completed(index, due, System.nanoTime(), e);
                continue;
            }
            Futures.addCallback(
                    f,
                    new FutureCallback<Object>() {
                        @Override
                        public void onSuccess(Object result) {
                            long end = System.nanoTime();
                            recorder.recordValue(Math.max(1, end - due));
                            completion.completed(index, due, end, null);
                            slots.release();
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            long end = System.nanoTime();
                            recorder.recordValue(Math.max(1, end - due));
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, t.toString());
                            completion.completed(index, due, end, t);
                            slots.release();
                        }
                    },
                    MoreExecutors.directExecutor());
        }
        if (!slots.tryAcquire(maxInFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(op + ": calls still outstanding after 60 s");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(
                op,
                total,
                failed.get(),
                seconds,
                recorder.getIntervalHistogram(),
                firstError.get());
    }
}
