package dev.fedplane.controlplane.common;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The one source of time; tests replace the bean with a clock they advance. */
@Factory
public class ClockFactory {
    @Singleton
    java.time.Clock systemClock() {
        return java.time.Clock.systemUTC();
    }
}
