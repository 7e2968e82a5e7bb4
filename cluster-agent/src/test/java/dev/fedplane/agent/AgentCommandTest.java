package dev.fedplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AgentCommandTest {

    private static AgentCommand parse(String... args) {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void flags_become_the_agent_config() {
        AgentConfig config =
                parse(
                                "--control-plane",
                                "cp-1:9090,cp-2:9090",
                                "--control-plane",
                                "cp-3:9090",
                                "--bootstrap-token",
                                "boot",
                                "--cluster-name",
                                "idc-a-1",
                                "--label",
                                "region=east",
                                "--label",
                                "tier=idc",
                                "--taint",
                                "dedicated=gpu:NoExecute",
                                "--credential-file",
                                "/var/lib/agent/credential",
                                "--cost-per-cpu-hour",
                                "0.035",
                                "--status-interval",
                                "250ms",
                                "--heartbeat-interval",
                                "5s")
                        .toConfig(Map.of());

        assertThat(config.controlPlaneAddresses())
                .containsExactly("cp-1:9090", "cp-2:9090", "cp-3:9090");
        assertThat(config.bootstrapToken()).isEqualTo("boot");
        assertThat(config.clusterName()).isEqualTo("idc-a-1");
        assertThat(config.labels()).isEqualTo(Map.of("region", "east", "tier", "idc"));
        assertThat(config.taints())
                .containsExactly(new AgentConfig.TaintSpec("dedicated", "gpu", "NoExecute"));
        assertThat(config.credentialFile()).isEqualTo(Path.of("/var/lib/agent/credential"));
        assertThat(config.costPerCpuHour()).isEqualTo(0.035);
        assertThat(config.statusInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.plaintext()).isTrue();
        assertThat(config.credentialNamespace()).isEqualTo("fedplane-system");
    }

    @Test
    void the_environment_fills_in_what_the_flags_leave_out() {
        AgentConfig config =
                parse().toConfig(
                                Map.of(
                                        "FEDPLANE_CONTROL_PLANE", "cp-1:9090, cp-2:9090",
                                        "FEDPLANE_BOOTSTRAP_TOKEN", "from-env",
                                        "FEDPLANE_CLUSTER_NAME", "cloud-1"));

        assertThat(config.controlPlaneAddresses()).containsExactly("cp-1:9090", "cp-2:9090");
        assertThat(config.bootstrapToken()).isEqualTo("from-env");
        assertThat(config.clusterName()).isEqualTo("cloud-1");
        assertThat(config.heartbeatInterval()).as("taken from the control plane").isNull();
        assertThat(config.resyncInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void flags_win_over_the_environment() {
        AgentConfig config =
                parse("--control-plane", "flag:1", "--cluster-name", "c")
                        .toConfig(Map.of("FEDPLANE_CONTROL_PLANE", "env:1"));

        assertThat(config.controlPlaneAddresses()).containsExactly("flag:1");
    }

    @Test
    void no_control_plane_address_is_an_error() {
        assertThatThrownBy(() -> parse("--cluster-name", "c").toConfig(Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--control-plane");
    }

    @Test
    void no_plaintext_asks_for_tls() {
        assertThat(
                        parse("--control-plane", "a:1", "--cluster-name", "c", "--no-plaintext")
                                .toConfig(Map.of())
                                .plaintext())
                .isFalse();
    }

    @ParameterizedTest(name = "taint {0} is key {1}, value {2}, effect {3}")
    @CsvSource(
            delimiter = '|',
            emptyValue = "",
            textBlock =
                    """
      dedicated=gpu:NoSchedule   | dedicated | gpu | NoSchedule
      spot:PreferNoSchedule      | spot      | ''  | PreferNoSchedule
      dedicated=batch            | dedicated | batch | NoSchedule
      maintenance                | maintenance | '' | NoSchedule
      """)
    void taints_parse(String text, String key, String value, String effect) {
        assertThat(AgentConfig.TaintSpec.parse(text))
                .isEqualTo(new AgentConfig.TaintSpec(key, value, effect));
    }

    @Test
    void an_unknown_taint_effect_is_refused() {
        assertThatThrownBy(() -> AgentConfig.TaintSpec.parse("a=b:Sometimes"))
                .hasMessageContaining("effect");
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"0, 0", "500ms, 500", "10s, 10000", "1.5s, 1500", "2m, 120000", "PT3S, 3000"})
    void durations_parse(String text, long millis) {
        assertThat(AgentCommand.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void a_config_needs_at_least_one_address() {
        assertThatThrownBy(() -> AgentConfig.builder("c", List.of()).build())
                .hasMessageContaining("control-plane address");
    }
}
