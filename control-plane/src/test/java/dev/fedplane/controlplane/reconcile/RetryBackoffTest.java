package dev.fedplane.controlplane.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryBackoffTest {
    private static final AppKey WEB = new AppKey("shop", "web");
    private static final AppKey API = new AppKey("bank", "api");

    @ParameterizedTest(name = "failure {0} in a row waits {1} ms")
    @DisplayName("each failure in a row doubles the wait from the base up to the maximum")
    @CsvSource({
        "1, 200", // base
        "2, 400", // 200 x 2
        "3, 800", // 200 x 4
        "9, 51200", // 200 x 2^8
        "10, 60000", // 200 x 2^9 = 102400, capped at 60 s
        "1000, 60000"
    })
    void doubling(int failures, long expectedMillis) {
        RetryBackoff b = new RetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(60));
        Duration last = null;
        for (int i = 0; i < failures; i++) {
            last = b.failed(WEB);
        }
        assertThat(last).isEqualTo(Duration.ofMillis(expectedMillis));
        assertThat(b.failures(WEB)).isEqualTo(failures);
    }

    @Test
    @DisplayName("a success forgets the key: its next failure waits the base again")
    void forget() {
        RetryBackoff b = new RetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(60));
        b.failed(WEB);
        b.failed(WEB);
        b.forget(WEB);
        assertThat(b.failures(WEB)).isZero();
        assertThat(b.failed(WEB)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    @DisplayName("keys back off independently")
    void perKey() {
        RetryBackoff b = new RetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(60));
        b.failed(WEB);
        b.failed(WEB);
        assertThat(b.failed(API)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.failed(WEB)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    @DisplayName("a base of zero or a maximum below the base is refused")
    void badBounds() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
