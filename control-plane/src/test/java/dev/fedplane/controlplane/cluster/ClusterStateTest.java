package dev.fedplane.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.common.Quantities;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterStateTest {
    @ParameterizedTest(name = "health {0}, cordoned {1}, draining {2} shows as {3}")
    @CsvSource({
        "READY, false, false, READY",
        "READY, true, false, CORDONED",
        "READY, true, true, DRAINING",
        "NOT_READY, true, true, NOT_READY",
        "LOST, false, false, LOST",
        "PENDING, true, false, PENDING"
    })
    void stateCombinesHealthAndOperatorMarks(
            Cluster.Health health, boolean cordoned, boolean draining, Cluster.State state) {
        Cluster c =
                new Cluster(
                        "c1",
                        Map.of(),
                        List.of(),
                        health,
                        cordoned,
                        draining,
                        Quantities.ZERO,
                        Quantities.ZERO,
                        Quantities.ZERO,
                        0,
                        "",
                        "",
                        0,
                        0,
                        1,
                        0,
                        0);
        assertThat(c.state()).isEqualTo(state);
    }
}
