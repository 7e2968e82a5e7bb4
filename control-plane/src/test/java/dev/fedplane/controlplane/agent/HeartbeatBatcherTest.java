package dev.fedplane.controlplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.ha.InMemoryLeadership;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HeartbeatBatcherTest {
    private final HeartbeatBatcher batcher =
            new HeartbeatBatcher(
                    null,
                    null,
                    new InMemoryLeadership("cp-1", "127.0.0.1:1"),
                    new SimpleMeterRegistry(),
                    Duration.ofSeconds(1));

    private static HeartbeatBatcher.Beat beat(long requestedCpu, long at) {
        return new HeartbeatBatcher.Beat(
                new Quantities(64000, 262144, 1100),
                new Quantities(requestedCpu, 0, 1),
                Quantities.ZERO,
                at);
    }

    @Test
    @DisplayName("heartbeats coalesce per cluster to the latest, acks to the highest generation")
    void coalesces() {
        batcher.heartbeat("a", beat(100, 1000));
        batcher.heartbeat("a", beat(300, 3000));
        batcher.heartbeat("a", beat(200, 2000)); // arrived late: older than the kept one
        batcher.heartbeat("b", beat(50, 1500));
        batcher.ack("a", 4);
        batcher.ack("a", 6);
        batcher.ack("a", 5);

        HeartbeatBatcher.Batch b = batcher.drain();

        assertThat(b.beats()).isEqualTo(Map.of("a", beat(300, 3000), "b", beat(50, 1500)));
        assertThat(b.acks()).isEqualTo(Map.of("a", 6L));
        assertThat(batcher.drain().isEmpty()).isTrue();
    }

    @Test
    @DisplayName("a batch put back after a failed write yields to what arrived meanwhile")
    void restoreKeepsNewer() {
        batcher.heartbeat("a", beat(100, 1000));
        batcher.heartbeat("b", beat(100, 1000));
        batcher.ack("a", 3);
        HeartbeatBatcher.Batch failed = batcher.drain();
        batcher.heartbeat("a", beat(200, 2000));
        batcher.ack("a", 2);

        batcher.restore(failed);
        HeartbeatBatcher.Batch b = batcher.drain();

        assertThat(b.beats()).isEqualTo(Map.of("a", beat(200, 2000), "b", beat(100, 1000)));
        assertThat(b.acks()).isEqualTo(Map.of("a", 3L));
    }

    @Test
    @DisplayName("a flush without leadership writes nothing and keeps what was batched")
    void noFlushWithoutLeadership() {
        batcher.heartbeat("a", beat(100, 1000));

        batcher.flush(); // not elected: the store (null here) is not touched

        assertThat(batcher.drain().beats()).containsOnlyKeys("a");
    }
}
