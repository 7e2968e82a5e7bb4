package dev.fedplane.agent.grpc;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with full jitter: the n-th consecutive failure (n from 0) waits a
 * uniformly random time in {@code [0, min(max, initial * 2^n)]}. {@link #reset()} after a success.
 * Not thread-safe.
 */
public final class ExponentialBackoff {

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int failures;

    public ExponentialBackoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The cap of the next delay, without consuming an attempt. */
    public long currentCapMillis() {
        int shift = Math.min(failures, 62);
        long cap = initialMillis << shift;
        if (cap <= 0 || (cap >> shift) != initialMillis) {
            return maxMillis;
        }
        return Math.min(maxMillis, cap);
    }

    /** The delay before the next attempt; counts one more failure. */
    public Duration nextDelay() {
        long cap = currentCapMillis();
        failures++;
        return Duration.ofMillis(random.nextLong(cap + 1));
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
