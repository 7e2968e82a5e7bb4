package dev.fedplane.controlplane.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test advances. Instances are named so that a control plane restarted in the same test
 * ({@link ControlPlaneHarness#restart()}) finds the same clock: start the harness with property
 * {@code fedplane.test.clock=<name>} and {@link TestClockFactory} makes it the application's clock.
 * Thread-safe.
 */
public final class TestClock extends Clock {
    private static final Map<String, TestClock> NAMED = new ConcurrentHashMap<>();

    private final AtomicLong millis;

    private TestClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** The clock called {@code name}, created at the current real time on first use. */
    public static TestClock named(String name) {
        return NAMED.computeIfAbsent(name, n -> new TestClock(System.currentTimeMillis()));
    }

    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    public void set(long epochMillis) {
        millis.set(epochMillis);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
