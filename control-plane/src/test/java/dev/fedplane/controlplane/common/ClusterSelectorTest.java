package dev.fedplane.controlplane.common;

import static dev.fedplane.controlplane.common.ClusterSelector.Operator.DOES_NOT_EXIST;
import static dev.fedplane.controlplane.common.ClusterSelector.Operator.EXISTS;
import static dev.fedplane.controlplane.common.ClusterSelector.Operator.IN;
import static dev.fedplane.controlplane.common.ClusterSelector.Operator.NOT_IN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterSelectorTest {
    private static final Map<String, String> EAST_IDC_A = Map.of("region", "east", "idc", "idc-a");

    private static ClusterSelector expr(String key, ClusterSelector.Operator op, String... values) {
        return new ClusterSelector(
                List.of(),
                Map.of(),
                List.of(new ClusterSelector.Requirement(key, op, List.of(values))));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments(
                        Named.of("an empty selector matches every cluster", ClusterSelector.ALL),
                        true),
                arguments(
                        Named.of(
                                "a matching name matches",
                                new ClusterSelector(List.of("c1"), Map.of(), List.of())),
                        true),
                arguments(
                        Named.of(
                                "another name does not match",
                                new ClusterSelector(List.of("c2"), Map.of(), List.of())),
                        false),
                arguments(
                        Named.of(
                                "equal labels match",
                                new ClusterSelector(
                                        List.of(), Map.of("region", "east"), List.of())),
                        true),
                arguments(
                        Named.of(
                                "a different label value does not match",
                                new ClusterSelector(
                                        List.of(), Map.of("region", "west"), List.of())),
                        false),
                arguments(
                        Named.of("In with the value matches", expr("idc", IN, "idc-a", "idc-b")),
                        true),
                arguments(
                        Named.of("In without the value does not match", expr("idc", IN, "idc-b")),
                        false),
                arguments(
                        Named.of("NotIn without the value matches", expr("idc", NOT_IN, "idc-b")),
                        true),
                arguments(
                        Named.of("NotIn of a missing label matches", expr("zone", NOT_IN, "z1")),
                        true),
                arguments(
                        Named.of("Exists of a present label matches", expr("region", EXISTS)),
                        true),
                arguments(
                        Named.of("Exists of a missing label does not match", expr("zone", EXISTS)),
                        false),
                arguments(
                        Named.of(
                                "DoesNotExist of a missing label matches",
                                expr("zone", DOES_NOT_EXIST)),
                        true),
                arguments(
                        Named.of(
                                "every part must match: name matches but labels do not",
                                new ClusterSelector(
                                        List.of("c1"), Map.of("region", "west"), List.of())),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesClusterC1InEastIdcA(ClusterSelector selector, boolean expected) {
        assertThat(selector.matches("c1", EAST_IDC_A)).isEqualTo(expected);
    }
}
