package dev.fedplane.cli.burst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.fedplane.cli.ExitCodes;
import dev.fedplane.cli.testing.Cli;
import dev.fedplane.cli.testing.Cli.Result;
import dev.fedplane.cli.testing.ControlPlane;
import dev.fedplane.cli.testing.Golden;
import dev.fedplane.cli.testing.TestAgent;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.BurstDryRun;
import dev.fedplane.proto.v1.BurstPlan;
import dev.fedplane.proto.v1.BurstState;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateTokenResponse;
import dev.fedplane.proto.v1.ListClustersResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code fedctl burst} in-process against a real control plane with three agents: one IDC cluster
 * with room for 8 one-CPU replicas, two cloud clusters (aws-1 at 0.05/CPU-hour with room for 4,
 * aws-2 at 0.08 with room for 16). The plan's window lies in 2099, so it stays PLANNED: the runner
 * itself is proven in the control plane's BurstIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BurstCommandIT {
    static final String PLAN =
            """
            kind: BurstPlan
            name: double-11
            spec:
              window:
                startUnixMillis: 2099-11-11T00:00:00Z
                endUnixMillis: 2099-11-12T00:00:00Z
                rampSteps: 2
                rampStepSeconds: 600
              targets:
              - {tenant: shop, app: web, peakReplicas: 14}
              cloudClusters: {matchLabels: {provider: aws}}
              budget: {maxCloudReplicas: 5, maxCloudCostPerHour: 1.0}
              raiseTenantQuotas: true
            """;

    ControlPlane cp;
    Cli cli;
    final List<TestAgent> agents = new ArrayList<>();

    @BeforeAll
    void startFleet() throws Exception {
        cp = ControlPlane.start();
        cli = Cli.against(cp, Files.createTempDirectory("fedctl-burst-it-"));
        CreateTokenResponse bootstrap =
                parse(
                        ok("token", "create", "--bootstrap", "--max-uses", "3", "-o", "json").out(),
                        CreateTokenResponse.getDefaultInstance());
        agents.add(
                TestAgent.join(
                        cp.channel(),
                        bootstrap.getSecret(),
                        "idc-1",
                        Map.of("region", "north", "idc", "a", "tier", "idc", "provider", "self"),
                        TestAgent.capacity(10000, 32768, 110, 2000, 0, 0),
                        0));
        agents.add(
                TestAgent.join(
                        cp.channel(),
                        bootstrap.getSecret(),
                        "aws-1",
                        Map.of("region", "north", "tier", "cloud", "provider", "aws"),
                        TestAgent.capacity(4000, 32768, 110),
                        0.05));
        agents.add(
                TestAgent.join(
                        cp.channel(),
                        bootstrap.getSecret(),
                        "aws-2",
                        Map.of("region", "north", "tier", "cloud", "provider", "aws"),
                        TestAgent.capacity(16000, 65536, 110),
                        0.08));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                parse(
                                                        ok("get", "clusters", "-o", "json").out(),
                                                        ListClustersResponse.getDefaultInstance())
                                                .getClustersList()
                                                .stream()
                                                .filter(c -> c.getState() == ClusterState.READY)
                                                .count()
                                        == 3);
        ok("create", "tenant", "shop", "--replicas", "10");
        cli.file(
                "web.yaml",
                """
                kind: App
                tenant: shop
                name: web
                spec:
                  image: registry.example/web:1.0
                  replicas: 4
                  resources: {cpuMillis: 1000, memoryMib: 512}
                  placement:
                    replicaScheduling: {type: DIVIDED}
                    burst: {allowCloud: false}
                """);
        ok("apply", "-f", "web.yaml");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            App a =
                                    parse(
                                            ok("get", "app", "shop/web", "-o", "json").out(),
                                            App.getDefaultInstance());
                            return a.getStatus().getObservedGeneration() == a.getGeneration()
                                    && a.getStatus().getClustersCount() == 1;
                        });
        cli.file("plan.yaml", PLAN);
    }

    @AfterAll
    void stop() {
        agents.forEach(TestAgent::close);
        if (cp != null) {
            cp.close();
        }
    }

    Result ok(String... args) {
        Result r = cli.run(args);
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.err()).as("%s", r).isEmpty();
        return r;
    }

    Result fails(int exit, String... args) {
        Result r = cli.run(args);
        assertThat(r.exit()).as("%s", r).isEqualTo(exit);
        assertThat(r.err()).as("one error line: %s", r).startsWith("error: ").endsWith("\n");
        assertThat(r.err().strip()).as("one error line: %s", r).doesNotContain("\n");
        return r;
    }

    @SuppressWarnings("unchecked")
    static <T extends com.google.protobuf.Message> T parse(String json, T prototype)
            throws Exception {
        com.google.protobuf.Message.Builder b = prototype.newBuilderForType();
        JsonFormat.parser().merge(json, b);
        return (T) b.build();
    }

    Cli goldenCli() {
        return cli.clockAt(Instant.now().plus(Duration.ofHours(5)));
    }

    @Test
    @Order(1)
    @DisplayName(
            "dry-run of a file prints IDC, cloud (cheapest first, within budget), cost and the quota hit, as the golden file")
    void dryRunOfAFile() throws Exception {
        // web 14: idc-1 holds 8; 6 over: aws-1 (cheaper) 4, aws-2 1 (the budget's 5), 1 left.
        Result r = ok("burst", "dry-run", "-f", "plan.yaml");
        Golden.assertMatches("burst-dry-run.txt", r.out());
        BurstDryRun d =
                parse(
                        ok("burst", "dry-run", "-f", "plan.yaml", "-o", "json").out(),
                        BurstDryRun.getDefaultInstance());
        assertThat(d.getIdcReplicas()).isEqualTo(8);
        assertThat(d.getCloudReplicas()).isEqualTo(5);
        assertThat(d.getApps(0).getPlacementMap())
                .containsEntry("aws-1", 4)
                .containsEntry("aws-2", 1);
        assertThat(d.getCloudCostPerHour())
                .isCloseTo(0.28, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    @Order(2)
    @DisplayName(
            "plan stores it PLANNED; get lists it and shows it as the golden files; -o json parses back")
    void planAndGet() throws Exception {
        assertThat(ok("burst", "plan", "-f", "plan.yaml").out())
                .isEqualTo(
                        "burstplan/double-11 created (PLANNED): 1 target(s), window 2099-11-11T00:00:00Z to 2099-11-12T00:00:00Z\n");
        Golden.assertMatches("burst-get.txt", goldenCli().run("burst", "get").out());
        Golden.assertMatches(
                "burst-get-double-11.txt", goldenCli().run("burst", "get", "double-11").out());
        BurstPlan p =
                parse(
                        ok("burst", "get", "double-11", "-o", "json").out(),
                        BurstPlan.getDefaultInstance());
        assertThat(p.getState()).isEqualTo(BurstState.PLANNED);
        assertThat(p.getSpec().getWindow().getStartUnixMillis())
                .isEqualTo(Instant.parse("2099-11-11T00:00:00Z").toEpochMilli());
        BurstDryRun d =
                parse(
                        ok("burst", "dry-run", "double-11", "-o", "json").out(),
                        BurstDryRun.getDefaultInstance());
        assertThat(d.getCloudReplicas()).isEqualTo(5);
        fails(ExitCodes.CONFLICT, "burst", "plan", "-f", "plan.yaml");
    }

    @Test
    @Order(3)
    @DisplayName(
            "a bad file names its line and field before anything is sent; the server's complaint names the line too")
    void badFiles() {
        cli.file("typo.yaml", PLAN.replace("rampSteps: 2", "rampSteps: two"));
        assertThat(fails(ExitCodes.USAGE, "burst", "plan", "-f", "typo.yaml").err())
                .isEqualTo(
                        "error: typo.yaml:7: spec.window.rampSteps: must be an integer (got \"two\")\n");
        cli.file("when.yaml", PLAN.replace("2099-11-11T00:00:00Z", "soon"));
        assertThat(fails(ExitCodes.USAGE, "burst", "plan", "-f", "when.yaml").err())
                .startsWith("error: when.yaml:5: spec.window.startUnixMillis: must be a time");
        cli.file(
                "backwards.yaml",
                PLAN.replace("name: double-11", "name: backwards")
                        .replace("2099-11-12T00:00:00Z", "2099-11-10T00:00:00Z"));
        assertThat(fails(ExitCodes.USAGE, "burst", "plan", "-f", "backwards.yaml").err())
                .contains("INVALID_ARGUMENT")
                .contains("spec.window.end_unix_millis at backwards.yaml:6");
        cli.file(
                "nobody.yaml",
                PLAN.replace("name: double-11", "name: nobody").replace("app: web", "app: nobody"));
        assertThat(fails(ExitCodes.NOT_FOUND, "burst", "plan", "-f", "nobody.yaml").err())
                .contains("app shop/nobody not found");
        fails(ExitCodes.USAGE, "burst", "dry-run");
        fails(ExitCodes.NOT_FOUND, "burst", "get", "nope");
    }

    @Test
    @Order(4)
    @DisplayName("cancel ends a plan that has not started; a second cancel is refused")
    void cancel() {
        assertThat(ok("burst", "cancel", "double-11").out())
                .startsWith("burstplan/double-11 CANCELLED: cancelled by token ");
        fails(ExitCodes.REFUSED, "burst", "cancel", "double-11");
        assertThat(ok("burst", "get").out()).contains("CANCELLED");
    }

    @Test
    @Order(5)
    @DisplayName("every burst command has help with examples")
    void help() {
        for (String c : new String[] {"plan", "dry-run", "get", "cancel"}) {
            assertThat(ok("burst", c, "--help").out())
                    .contains("Examples:")
                    .contains("fedctl burst " + c);
        }
    }
}
