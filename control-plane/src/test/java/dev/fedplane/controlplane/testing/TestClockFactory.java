package dev.fedplane.controlplane.testing;

import dev.fedplane.controlplane.common.ClockFactory;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;

/** With {@code fedplane.test.clock=<name>}: the application's clock is {@link TestClock#named}. */
@Factory
@Requires(property = "fedplane.test.clock")
public class TestClockFactory {
    @Singleton
    @Replaces(value = Clock.class, factory = ClockFactory.class)
    Clock testClock(@Value("${fedplane.test.clock}") String name) {
        return TestClock.named(name);
    }
}
