package dev.fedplane.controlplane.agent;

import java.time.Duration;

/**
 * When an agent that did not acknowledge a desired state is sent it again: {@code base} after the
 * send, then doubling with each further miss up to {@code max}; after {@code maxResends} resends
 * without an ack the stream is closed, and the agent reconnects and is sent its full state.
 */
public record AckTimeout(Duration base, Duration max, int maxResends) {
    public AckTimeout {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxResends < 0) {
            throw new IllegalArgumentException(
                    "ack timeout: base must be positive, max at least base, resends not negative");
        }
    }

    /** How long to wait for an ack after {@code misses} timeouts in a row (0 for a first send). */
    public long delayMillis(int misses) {
        long d = base.toMillis();
        for (int i = 0; i < misses && d < max.toMillis(); i++) {
            d *= 2;
        }
        return Math.min(d, max.toMillis());
    }

    /** True when {@code misses} timeouts in a row are too many: the stream is closed. */
    public boolean givesUp(int misses) {
        return misses > maxResends;
    }
}
