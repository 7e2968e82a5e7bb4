package dev.fedplane.scheduler.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulate command's logic on streams: output JSON, and validation paths (exit 2, stdout
 * empty).
 */
class SimulateMainTest {

    /** A valid scenario with two clusters; {@code %s} placeholders let cases swap one value. */
    private static String scenario(
            String cluster1Allocatable,
            String replicas,
            String type,
            String extraApp,
            String extraRoot) {
        return """
                {"clusters": [
                  {"name": "a", "state": "READY", "labels": {"idc": "x"},
                   "allocatable": {"cpuMillis": 8000, "memoryMiB": 16384, "pods": 110}},
                  {"name": "b", "state": "READY", "labels": {"idc": "y"},
                   "allocatable": %s}
                 ],
                 "app": {"name": "web", "replicas": %s, "resources": {"cpuMillis": 1000, "memoryMiB": 1024},
                         "placement": {"replicaScheduling": {"type": %s}%s}}%s
                }"""
                .formatted(cluster1Allocatable, replicas, type, extraApp, extraRoot);
    }

    private static String valid() {
        return scenario(
                "{\"cpuMillis\": 8000, \"memoryMiB\": 16384, \"pods\": 110}",
                "4",
                "\"DIVIDED\"",
                "",
                "");
    }

    private record Run(int status, String stdout, String stderr) {}

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                SimulateMain.run(
                        args,
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a valid scenario on standard input prints the placement and exits 0")
    void validScenario() {
        Run r = run(valid());

        assertThat(r.status()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout())
                .isEqualTo(
                        """
                {
                  "placements": [
                    { "cluster": "a", "replicas": 2 },
                    { "cluster": "b", "replicas": 2 }
                  ],
                  "unschedulable": 0,
                  "clusters": [
                    { "cluster": "a", "feasible": true, "weight": 1, "fit": 8, "score": 1, "replicas": 2 },
                    { "cluster": "b", "feasible": true, "weight": 1, "fit": 8, "score": 1, "replicas": 2 }
                  ]
                }
                """);
    }

    @Test
    @DisplayName(
            "DESIGN's example scenario file gives idc-a-1 5 replicas and 4 unschedulable, byte-identical on every run")
    void designExampleFile() throws Exception {
        Path file = Path.of("examples/design-example.json");
        Run first = run("", file.toString());
        Run second = run(Files.readString(file));

        assertThat(first.status()).isZero();
        assertThat(first.stdout())
                .contains(
                        """
                "placements": [
                    { "cluster": "idc-a-1", "replicas": 5 }
                  ],
                  "unschedulable": 4,
                  "unschedulableReason": "4 replicas fit nowhere: idc-a-1 is at maxReplicas 5, idc-b-1 is NOT_READY",
                """);
        assertThat(first.stdout())
                .contains(
                        "{ \"cluster\": \"idc-b-1\", \"feasible\": false, \"filter\": \"state\", \"reason\": \"state NOT_READY\"");
        assertThat(second.stdout()).isEqualTo(first.stdout());
    }

    @Test
    @DisplayName("unknown fields are ignored and null equals absent")
    void unknownAndNull() {
        String json =
                scenario(
                        "{\"cpuMillis\": 8000, \"memoryMiB\": 16384, \"pods\": 110, \"gpus\": 4}",
                        "4",
                        "\"DIVIDED\"",
                        ", \"burst\": null, \"spread\": null, \"futureField\": {\"x\": 1}",
                        ", \"currentPlacement\": null, \"tenantQuota\": null, \"comment\": \"hello\"");

        assertThat(run(json).stdout()).isEqualTo(run(valid()).stdout());
    }

    @Test
    @DisplayName("an empty cluster list is valid: everything is unschedulable")
    void emptyClusters() {
        Run r =
                run(
                        """
                {"clusters": [], "app": {"name": "w", "replicas": 2, "placement": {"replicaScheduling": {"type": "DUPLICATED"}}}}
                """);

        assertThat(r.status()).isZero();
        assertThat(r.stdout()).contains("\"unschedulable\": 2").contains("\"placements\": [ ]");
    }

    static Stream<Arguments> invalid() {
        String okAlloc = "{\"cpuMillis\": 8000, \"memoryMiB\": 16384, \"pods\": 110}";
        return Stream.of(
                arguments(
                        "a string replicas names app.replicas",
                        scenario(okAlloc, "\"4\"", "\"DIVIDED\"", "", ""),
                        "app.replicas: must be a non-negative integer (got \"4\")"),
                arguments(
                        "5.0 is not a count",
                        scenario(okAlloc, "5.0", "\"DIVIDED\"", "", ""),
                        "app.replicas: must be a non-negative integer (got 5.0)"),
                arguments(
                        "negative replicas are refused",
                        scenario(okAlloc, "-1", "\"DIVIDED\"", "", ""),
                        "app.replicas: must be a non-negative integer (got -1)"),
                arguments(
                        "replicas beyond 32 bits are refused",
                        scenario(okAlloc, "3000000000", "\"DIVIDED\"", "", ""),
                        "app.replicas: must be at most 2147483647"),
                arguments(
                        "a missing replicas is reported",
                        scenario(okAlloc, "null", "\"DIVIDED\"", "", ""),
                        "app.replicas: is required"),
                arguments(
                        "a negative quantity names the cluster index and field",
                        scenario("{\"cpuMillis\": -5}", "4", "\"DIVIDED\"", "", ""),
                        "clusters[1].allocatable.cpuMillis: must be a non-negative integer (got -5)"),
                arguments(
                        "a missing allocatable is reported",
                        scenario("null", "4", "\"DIVIDED\"", "", ""),
                        "clusters[1].allocatable: is required"),
                arguments(
                        "an unknown scheduling type is refused",
                        scenario(okAlloc, "4", "\"SPREAD\"", "", ""),
                        "app.placement.replicaScheduling.type: must be one of DUPLICATED, DIVIDED, AGGREGATED (got \"SPREAD\")"),
                arguments(
                        "enum values are exact",
                        scenario(okAlloc, "4", "\"divided\"", "", ""),
                        "app.placement.replicaScheduling.type: must be one of"),
                arguments(
                        "a missing scheduling type is reported",
                        scenario(okAlloc, "4", "null", "", ""),
                        "app.placement.replicaScheduling.type: is required"),
                arguments(
                        "an unknown division is refused",
                        valid().replace(
                                        "\"type\": \"DIVIDED\"",
                                        "\"type\": \"DIVIDED\", \"division\": \"WEIGHTED\""),
                        "app.placement.replicaScheduling.division: must be one of STATIC_WEIGHTS, DYNAMIC"),
                arguments(
                        "an unknown cluster state is refused",
                        valid().replace(
                                        "\"state\": \"READY\", \"labels\": {\"idc\": \"y\"}",
                                        "\"state\": \"RUNNING\", \"labels\": {\"idc\": \"y\"}"),
                        "clusters[1].state: must be one of PENDING, READY, NOT_READY, LOST, CORDONED, DRAINING"),
                arguments(
                        "duplicate cluster names are refused",
                        valid().replace("\"name\": \"b\"", "\"name\": \"a\""),
                        "clusters[1].name: duplicate cluster name \"a\""),
                arguments(
                        "a missing cluster list is reported",
                        "{\"app\": {\"name\": \"w\", \"replicas\": 1, \"placement\": {\"replicaScheduling\": {\"type\": \"DIVIDED\"}}}}",
                        "clusters: is required"),
                arguments(
                        "clusters must be an array",
                        "{\"clusters\": {}, \"app\": {}}",
                        "clusters: must be an array"),
                arguments(
                        "a non-string label value names the label",
                        valid().replace("\"labels\": {\"idc\": \"x\"}", "\"labels\": {\"idc\": 7}"),
                        "clusters[0].labels.idc: must be a string (got 7)"),
                arguments(
                        "a negative cost is refused",
                        valid().replace(
                                        "\"name\": \"a\",",
                                        "\"name\": \"a\", \"costPerCpuHour\": -1,"),
                        "clusters[0].costPerCpuHour: must be a non-negative number (got -1)"),
                arguments(
                        "an unknown taint effect is refused",
                        valid().replace(
                                        "\"name\": \"a\",",
                                        "\"name\": \"a\", \"taints\": [{\"key\": \"k\", \"effect\": \"Sometimes\"}],"),
                        "clusters[0].taints[0].effect: must be one of NoSchedule, PreferNoSchedule, NoExecute"),
                arguments(
                        "a fractional weight names the weight entry",
                        valid().replace(
                                        "\"type\": \"DIVIDED\"",
                                        "\"type\": \"DIVIDED\", \"weights\": [{\"clusters\": {\"names\": [\"a\"]}, \"weight\": 1.5}]"),
                        "app.placement.replicaScheduling.weights[0].weight: must be a non-negative integer (got 1.5)"),
                arguments(
                        "a negative maxReplicas names the limit entry",
                        scenario(
                                okAlloc,
                                "4",
                                "\"DIVIDED\"",
                                ", \"clusterLimits\": [{\"maxReplicas\": -1}]",
                                ""),
                        "app.placement.clusterLimits[0].maxReplicas: must be a non-negative integer (got -1)"),
                arguments(
                        "a string minGroups names the spread entry",
                        scenario(
                                okAlloc,
                                "4",
                                "\"DIVIDED\"",
                                ", \"spread\": [{\"by\": \"idc\", \"minGroups\": \"two\"}]",
                                ""),
                        "app.placement.spread[0].minGroups: must be a non-negative integer (got \"two\")"),
                arguments(
                        "a spread entry needs its label",
                        scenario(
                                okAlloc,
                                "4",
                                "\"DIVIDED\"",
                                ", \"spread\": [{\"minGroups\": 2}]",
                                ""),
                        "app.placement.spread[0].by: is required"),
                arguments(
                        "allowCloud must be a boolean",
                        scenario(
                                okAlloc,
                                "4",
                                "\"DIVIDED\"",
                                ", \"burst\": {\"allowCloud\": \"yes\"}",
                                ""),
                        "app.placement.burst.allowCloud: must be true or false (got \"yes\")"),
                arguments(
                        "an unknown selector operator names the expression",
                        scenario(
                                okAlloc,
                                "4",
                                "\"DIVIDED\"",
                                ", \"clusterAffinity\": {\"matchExpressions\": [{\"key\": \"idc\", \"operator\": \"Has\"}]}",
                                ""),
                        "app.placement.clusterAffinity.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist"),
                arguments(
                        "a negative current placement names the cluster",
                        scenario(
                                okAlloc,
                                "4",
                                "\"DIVIDED\"",
                                "",
                                ", \"currentPlacement\": {\"a\": -1}"),
                        "currentPlacement.a: must be a non-negative integer (got -1)"),
                arguments(
                        "a fractional quota names the quota field",
                        scenario(
                                okAlloc,
                                "4",
                                "\"DIVIDED\"",
                                "",
                                ", \"tenantQuota\": {\"cpuMillis\": 1.5}"),
                        "tenantQuota.cpuMillis: must be a non-negative integer (got 1.5)"),
                arguments(
                        "a scenario that is not an object is refused",
                        "[1, 2]",
                        "invalid scenario: must be an object"),
                arguments(
                        "malformed JSON is refused with its position",
                        "{\"clusters\": [",
                        "not valid JSON at line 1"),
                arguments("empty input is refused", "", "empty input"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refuses(String behaviour, String json, String message) {
        Run r = run(json);

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains(message);
    }

    @Test
    @DisplayName("a missing file exits 2 with nothing on standard output")
    void missingFile(@TempDir Path dir) {
        Run r = run("", dir.resolve("nope.json").toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("no such file");
    }
}
