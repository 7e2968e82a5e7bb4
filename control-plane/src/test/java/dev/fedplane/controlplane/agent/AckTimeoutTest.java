package dev.fedplane.controlplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AckTimeoutTest {
    private final AckTimeout t = new AckTimeout(Duration.ofSeconds(5), Duration.ofSeconds(60), 3);

    @Test
    @DisplayName("the wait for an ack doubles with each miss up to the maximum")
    void backoff() {
        assertThat(t.delayMillis(0)).isEqualTo(5_000);
        assertThat(t.delayMillis(1)).isEqualTo(10_000);
        assertThat(t.delayMillis(2)).isEqualTo(20_000);
        assertThat(t.delayMillis(3)).isEqualTo(40_000);
        assertThat(t.delayMillis(4)).isEqualTo(60_000);
        assertThat(t.delayMillis(1000)).isEqualTo(60_000);
    }

    @Test
    @DisplayName("resends are bounded: past the limit the stream is given up")
    void bounded() {
        assertThat(t.givesUp(0)).isFalse();
        assertThat(t.givesUp(3)).isFalse();
        assertThat(t.givesUp(4)).isTrue();
    }

    @Test
    @DisplayName("a zero base, a maximum below it or negative resends are refused")
    void invalid() {
        assertThatThrownBy(() -> new AckTimeout(Duration.ZERO, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AckTimeout(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AckTimeout(Duration.ofSeconds(1), Duration.ofSeconds(1), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
