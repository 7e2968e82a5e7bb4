package dev.fedplane.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExponentialBackoffTest {

    @Test
    void the_cap_doubles_from_250_ms_per_failure_up_to_30_s() {
        ExponentialBackoff backoff =
                new ExponentialBackoff(
                        Duration.ofMillis(250), Duration.ofSeconds(30), new SplittableRandom(1));
        List<Long> caps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            caps.add(backoff.currentCapMillis());
            backoff.nextDelay();
        }
        // 250 * 2^n: 250, 500, 1000, 2000, 4000, 8000, 16000, then capped at 30000.
        assertThat(caps)
                .containsExactly(
                        250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    }

    @Test
    void every_delay_is_full_jitter_between_zero_and_the_cap() {
        ExponentialBackoff backoff =
                new ExponentialBackoff(
                        Duration.ofMillis(250), Duration.ofSeconds(30), new SplittableRandom(7));
        for (int i = 0; i < 200; i++) {
            long cap = backoff.currentCapMillis();
            assertThat(backoff.nextDelay().toMillis()).isBetween(0L, cap);
        }
    }

    @Test
    void the_cap_stays_at_the_maximum_after_very_many_failures() {
        ExponentialBackoff backoff =
                new ExponentialBackoff(
                        Duration.ofMillis(250), Duration.ofSeconds(30), new SplittableRandom(3));
        for (int i = 0; i < 100; i++) {
            backoff.nextDelay();
        }
        assertThat(backoff.currentCapMillis()).isEqualTo(30_000L);
    }

    @Test
    void a_reset_starts_again_from_the_initial_delay() {
        ExponentialBackoff backoff =
                new ExponentialBackoff(
                        Duration.ofMillis(250), Duration.ofSeconds(30), new SplittableRandom(3));
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.reset();
        assertThat(backoff.currentCapMillis()).isEqualTo(250L);
    }
}
