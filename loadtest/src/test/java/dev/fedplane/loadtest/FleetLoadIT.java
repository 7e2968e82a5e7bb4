package dev.fedplane.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The small fleet profile that CI runs: 200 protocol-level agents through every phase against a
 * real control plane process. It asserts correctness only (every phase converged, every write
 * answered, no INTERNAL), never timings: the numbers are for the reports, not for a shared machine.
 */
class FleetLoadIT {

    @Test
    @DisplayName(
            "200 agents go through registration, writes, a reconnect storm, a restart and the loss of 10% and every phase converges")
    void smallFleetConverges(@TempDir Path out) throws Exception {
        Path jar =
                Path.of(
                        System.getProperty(
                                "fedplane.controlPlaneJar",
                                "../control-plane/target/fedplane-control-plane.jar"));
        assertThat(jar)
                .as(
                        "the control plane's runnable jar (build it first: ./mvnw -pl control-plane,loadtest -am verify)")
                .exists();

        int exit =
                new CommandLine(new FleetLoad())
                        .execute(
                                "--agents",
                                "200",
                                "--apps",
                                "200",
                                "--replicas",
                                "3",
                                "--rate",
                                "40",
                                "--writers",
                                "8",
                                "--steady",
                                "5",
                                "--write-seconds",
                                "10",
                                "--heartbeat",
                                "1s",
                                "--lost-after",
                                "5s",
                                "--cp-heap",
                                "512m",
                                "--phase-timeout",
                                "120",
                                "--control-plane-jar",
                                jar.toString(),
                                "--out",
                                out.toString());

        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertThat(result.get("failures")).as(result.toPrettyString()).isEmpty();
        assertThat(exit).isZero();
        assertThat(result.get("internalAnswers").asInt()).isZero();
        assertThat(result.at("/register/agents").asInt()).isEqualTo(200);
        assertThat(result.at("/writes/failed").asLong()).isZero();
        assertThat(result.at("/writes/notConverged").asInt()).isZero();
        assertThat(result.at("/writes/convergence/n").asLong()).isPositive();
        assertThat(result.at("/storm/agents").asInt()).isEqualTo(200);
        assertThat(result.at("/loss/lost").asInt()).isEqualTo(20);
        assertThat(result.at("/loss/replicasMoved").asInt()).isPositive();
        assertThat(result.get("controlPlane")).isNotEmpty();
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("echarts.init").contains("\"register\"");
    }
}
