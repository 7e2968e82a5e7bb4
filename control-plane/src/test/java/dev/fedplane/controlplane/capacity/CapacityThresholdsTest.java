package dev.fedplane.controlplane.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.common.Quantities;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityThresholdsTest {
    private final CapacityThresholds th = new CapacityThresholds(0.8, 0.9);

    @ParameterizedTest(name = "{0}")
    @DisplayName("a used ratio is OK below warn, WARN from warn, CRITICAL from critical")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    an empty cluster is OK                          |   0 | 100 | OK
                    just below the warn threshold is OK             |  79 | 100 | OK
                    exactly the warn threshold is WARN              |  80 | 100 | WARN
                    between the thresholds is WARN                  |  89 | 100 | WARN
                    exactly the critical threshold is CRITICAL      |  90 | 100 | CRITICAL
                    full is CRITICAL                                | 100 | 100 | CRITICAL
                    overcommitted is CRITICAL                       | 150 | 100 | CRITICAL
                    nothing allocatable counts as ratio 0, OK       |  10 |   0 | OK
                    """)
    void classifies(String name, long used, long limit, ResourceLevel.Level expected) {
        assertThat(th.level("cpu", used, limit).level()).isEqualTo(expected);
    }

    @Test
    @DisplayName("levels are cpu, memory and pods in that order, each requested of allocatable")
    void levelsOfQuantities() {
        List<ResourceLevel> l =
                th.levels(new Quantities(3000, 900, 10), new Quantities(4000, 1000, 100));
        assertThat(l)
                .containsExactly(
                        new ResourceLevel("cpu", 0.75, ResourceLevel.Level.OK),
                        new ResourceLevel("memory", 0.9, ResourceLevel.Level.CRITICAL),
                        new ResourceLevel("pods", 0.1, ResourceLevel.Level.OK));
        assertThat(CapacityThresholds.worst(l)).isEqualTo(ResourceLevel.Level.CRITICAL);
        assertThat(CapacityThresholds.worst(List.of())).isEqualTo(ResourceLevel.Level.OK);
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("thresholds outside (0, 1] or warn above critical fail naming the setting")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    a zero warn ratio                 | 0   | 0.9 | warn-ratio
                    a warn ratio above one            | 1.5 | 0.9 | warn-ratio
                    a negative critical ratio         | 0.8 | -1  | critical-ratio
                    warn above critical               | 0.95| 0.9 | must not be above
                    """)
    void refusesBadThresholds(String name, double warn, double critical, String message) {
        assertThatThrownBy(() -> new CapacityThresholds(warn, critical))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
