package dev.fedplane.controlplane.reconcile;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential backoff for apps whose reconcile failed (the habit of Kubernetes'
 * controllers' per-item rate limiter): the n-th failure in a row of one key waits {@code base x
 * 2^(n-1)}, at most {@code max}; a success forgets the key. Not thread-safe (the reconciler's
 * worker thread owns it).
 */
public final class RetryBackoff {
    private final Duration base;
    private final Duration max;
    private final Map<AppKey, Integer> failures = new HashMap<>();

    public RetryBackoff(Duration base, Duration max) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException(
                    "backoff needs 0 < base <= max, got " + base + " and " + max);
        }
        this.base = base;
        this.max = max;
    }

    /** Records one more failure of {@code key}; how long to wait before trying it again. */
    public Duration failed(AppKey key) {
        int n = failures.merge(key, 1, Integer::sum);
        return delay(n);
    }

    /** {@code key} succeeded: its next failure starts from {@code base} again. */
    public void forget(AppKey key) {
        failures.remove(key);
    }

    /** Failures of {@code key} in a row so far. */
    public int failures(AppKey key) {
        return failures.getOrDefault(key, 0);
    }

    public void clear() {
        failures.clear();
    }

    /** The wait after the {@code n}-th failure in a row (n >= 1). */
    Duration delay(int n) {
        int shift = Math.min(n - 1, 40);
        long millis = base.toMillis();
        long limit = max.toMillis();
        for (int i = 0; i < shift && millis < limit; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, limit));
    }
}
