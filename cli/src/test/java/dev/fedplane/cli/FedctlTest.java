package dev.fedplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.cli.testing.Cli;
import dev.fedplane.cli.testing.Cli.Result;
import dev.fedplane.cli.testing.Golden;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fedctl without a server: flags, help, completion, simulate, config, exit statuses. */
class FedctlTest {
    @TempDir Path dir;

    Cli cli() {
        return new Cli(dir);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = FedctlTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "an unknown option | get apps --bogus | error: Unknown option: '--bogus' (see 'fedctl get apps --help')",
                "a missing required option | scale app web | error: Missing required option: '--replicas=N' (see 'fedctl scale --help')",
                "a bad number | scale app web --replicas many | "
                        + "error: Invalid value for option '--replicas': 'many' is not an int (see 'fedctl scale --help')",
                "a bad output format | get clusters -o xml | "
                        + "error: Invalid value for option '--output': expected one of [TABLE, WIDE, JSON, YAML] (case-insensitive) but was 'xml' (see 'fedctl get clusters --help')",
                "a missing subcommand | get | error: Missing required subcommand (see 'fedctl get --help')",
                "an unknown kind | get pods | error: Unmatched argument at index 1: 'pods' (see 'fedctl get --help')",
                "a bad group | capacity --by country | "
                        + "error: Invalid value for option '--by': expected one of [GROUP_BY_UNSPECIFIED, CLUSTER, IDC, REGION, TIER, PROVIDER, ZONE, UNRECOGNIZED] (case-insensitive) but was 'country' (see 'fedctl capacity --help')"
            })
    void badFlagsExitWithUsageAndOneLine(String why, String args, String line) {
        Result r = cli().run(args.split(" "));
        assertThat(r.exit()).as("%s", r).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().lines().findFirst().orElseThrow()).isEqualTo(line);
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no tenant for an app | describe app web | error: no tenant: give --tenant (or TENANT/NAME), or set one on the context (fedctl config set-context NAME --tenant TENANT)",
                "a bad app reference | describe app a/b/c | error: \"a/b/c\" is neither NAME nor TENANT/NAME",
                "a bad cpu quantity | create tenant shop --cpu lots | error: --cpu: \"lots\" is not a CPU quantity (e.g. 500m, 2, 0.5)",
                "scale of something else | scale cluster x --replicas 2 | error: only apps scale: fedctl scale app NAME --replicas N (got \"cluster\")",
                "a bad interval | get clusters -w --interval soon | error: --interval: \"soon\" is not a duration (e.g. 500ms, 2s, 1m, PT10S)",
                "a token role that does not exist | token create --role root | error: --role: \"root\" is not one of platform-admin, tenant-admin, tenant-viewer",
                "an agent command without --bootstrap | token create --role platform-admin --print-agent-command | error: --print-agent-command needs --bootstrap",
                "a missing token file | get clusters --token-file nope.token | error: cannot read token file"
            })
    void badValuesExitWithUsageBeforeAnyCall(String why, String args, String line) {
        Result r = cli().run(args.split(" "));
        assertThat(r.exit()).as("%s", r).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith(line).endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n");
    }

    @Test
    void connectionFlagsWorkBeforeAndAfterTheSubcommand() {
        for (String[] args :
                new String[][] {
                    {"--server", "127.0.0.1:1", "get", "clusters"},
                    {"get", "clusters", "--server", "127.0.0.1:1"}
                }) {
            Result r = cli().run(args);
            assertThat(r.exit()).as("%s", r).isEqualTo(ExitCodes.ERROR);
            assertThat(r.err())
                    .startsWith("error: UNAVAILABLE: ")
                    .contains("running at 127.0.0.1:1?");
        }
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        String[][] commands = {
            {},
            {"get"},
            {"get", "clusters"},
            {"get", "apps"},
            {"get", "tenants"},
            {"get", "tokens"},
            {"describe", "cluster"},
            {"describe", "app"},
            {"describe", "tenant"},
            {"create", "tenant"},
            {"apply"},
            {"scale"},
            {"delete", "app"},
            {"delete", "tenant"},
            {"delete", "cluster"},
            {"delete", "token"},
            {"cordon"},
            {"uncordon"},
            {"drain"},
            {"explain"},
            {"simulate"},
            {"capacity"},
            {"whatif"},
            {"whatif", "scale"},
            {"whatif", "create"},
            {"whatif", "lose"},
            {"burst"},
            {"burst", "plan"},
            {"burst", "dry-run"},
            {"burst", "get"},
            {"burst", "cancel"},
            {"rollout"},
            {"rollout", "history"},
            {"rollout", "diff"},
            {"rollout", "status"},
            {"rollout", "pause"},
            {"rollout", "resume"},
            {"rollout", "approve"},
            {"rollout", "abort"},
            {"rollout", "undo"},
            {"audit"},
            {"token", "create"},
            {"token", "revoke"},
            {"config", "set-context"},
            {"config", "use-context"},
            {"config", "get-contexts"},
            {"config", "current-context"},
            {"config", "delete-context"},
            {"config"},
            {"token"},
            {"describe"},
            {"create"},
            {"delete"},
            {"completion"}
        };
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 1);
            args[c.length] = "--help";
            Result r = cli().run(args);
            assertThat(r.exit()).as("fedctl %s --help", String.join(" ", c)).isZero();
            assertThat(r.out())
                    .as("fedctl %s --help", String.join(" ", c))
                    .startsWith("Usage: fedctl")
                    .contains("Examples:");
        }
    }

    @Test
    void completionScriptsComeFromPicocliForBashAndZsh() {
        Result bash = cli().run("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out())
                .contains("complete -F _complete_fedctl")
                .contains("cordon")
                .contains("--output")
                .contains("set-context");
        Result zsh = cli().run("completion", "zsh");
        assertThat(zsh.out())
                .startsWith("# fedctl completion for zsh")
                .contains("bashcompinit")
                .contains("_complete_fedctl");
    }

    @Test
    void simulateRunsTheSchedulerLocallyAndPrintsAVerdictTable() throws IOException {
        Cli c = cli();
        c.file("design.json", resource("design-example.json"));
        Result table = c.run("simulate", "-f", "design.json");
        assertThat(table.exit()).as("%s", table).isZero();
        Golden.assertMatches("simulate-design-example.txt", table.out());
        Result json = c.run("simulate", "-f", "design.json", "-o", "json");
        assertThat(json.out())
                .startsWith("{\n  \"placements\": [")
                .contains("\"unschedulable\": 4");
        Result stdin = c.runWithInput(resource("design-example.json"), "simulate", "-f", "-");
        assertThat(stdin.out()).isEqualTo(table.out());
    }

    @Test
    void aMalformedScenarioExitsWithUsageNamingTheField() {
        Cli c = cli();
        c.file(
                "bad.json",
                "{\"clusters\": [{\"name\": \"a\", \"state\": \"READY\", \"allocatable\": {\"cpuMillis\": 5.0}}],"
                        + " \"app\": {\"name\": \"x\", \"replicas\": 1, \"placement\": {\"replicaScheduling\": {\"type\": \"DIVIDED\"}}}}");
        Result r = c.run("simulate", "-f", "bad.json");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .startsWith(
                        "error: bad.json: invalid scenario: clusters[0].allocatable.cpuMillis:");
    }

    @Test
    void contextsAreKeptInTheConfigFileWithoutASever() throws IOException {
        Cli c = cli();
        assertThat(
                        c.run(
                                        "config",
                                        "set-context",
                                        "a",
                                        "--server",
                                        "h1:9090",
                                        "--token",
                                        "s3cret")
                                .out())
                .isEqualTo(
                        "context a set in "
                                + c.home().resolve(".fedplane/config")
                                + " (current)\n");
        assertThat(
                        c.run(
                                        "config",
                                        "set-context",
                                        "b",
                                        "--server",
                                        "h2:443",
                                        "--no-plaintext",
                                        "--tls-ca-file",
                                        "ca.pem",
                                        "--tenant",
                                        "shop")
                                .exit())
                .isZero();
        assertThat(c.run("config", "current-context").out()).isEqualTo("a\n");
        assertThat(c.run("config", "use-context", "b").exit()).isZero();
        assertThat(c.run("config", "get-contexts").out())
                .isEqualTo(
                        """
                CURRENT   NAME   SERVER    TENANT   AUTH    TLS
                -         a      h1:9090   -        token   plaintext
                *         b      h2:443    shop     none    tls
                """);
        String file = Files.readString(c.home().resolve(".fedplane/config"));
        assertThat(file)
                .startsWith("current-context: b\n")
                .contains("tls-ca-file: " + c.workDir().resolve("ca.pem"));
        Result missing = c.run("config", "use-context", "zzz");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err())
                .isEqualTo(
                        "error: no context \"zzz\" in "
                                + c.home().resolve(".fedplane/config")
                                + " (known: a, b)\n");
        assertThat(c.run("config", "delete-context", "b").out()).isEqualTo("context b deleted\n");
        assertThat(c.run("config", "current-context").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @ParameterizedTest(name = "{0} exits with {1}")
    @CsvSource({
        "OK, 0",
        "INVALID_ARGUMENT, 2",
        "NOT_FOUND, 3",
        "UNAUTHENTICATED, 4",
        "PERMISSION_DENIED, 4",
        "ALREADY_EXISTS, 5",
        "ABORTED, 5",
        "RESOURCE_EXHAUSTED, 6",
        "FAILED_PRECONDITION, 6",
        "UNAVAILABLE, 1",
        "INTERNAL, 1",
        "DEADLINE_EXCEEDED, 1",
        "CANCELLED, 1"
    })
    void everyStatusHasItsExitCode(Status.Code code, int exit) {
        assertThat(ExitCodes.of(code)).isEqualTo(exit);
    }
}
