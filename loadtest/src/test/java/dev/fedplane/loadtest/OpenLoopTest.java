package dev.fedplane.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Futures;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
    @Test
    @DisplayName(
            "the driver sends rate x duration calls and counts the failed ones with the first error")
    void countsCallsAndFailures() throws Exception {
        OpenLoop.Result r =
                OpenLoop.run(
                        "op",
                        2000,
                        Duration.ofMillis(50),
                        8,
                        i ->
                                i % 10 == 0
                                        ? Futures.immediateFailedFuture(
                                                new IllegalStateException("boom " + i))
                                        : Futures.immediateFuture("ok"));
        assertThat(r.sent()).isEqualTo(100);
        assertThat(r.failed()).isEqualTo(10);
        assertThat(r.firstError()).contains("boom 0");
        assertThat(r.latencyNanos().getTotalCount()).isEqualTo(100);
    }

    @Test
    @DisplayName("a call that throws before returning a future counts as failed and frees its slot")
    void throwingCallFreesItsSlot() throws Exception {
        OpenLoop.Result r =
                OpenLoop.run(
                        "op",
                        1000,
                        Duration.ofMillis(20),
                        1,
                        i -> {
                            throw new IllegalArgumentException("bad request " + i);
                        });
        assertThat(r.sent()).isEqualTo(20);
        assertThat(r.failed()).isEqualTo(20);
    }
}
