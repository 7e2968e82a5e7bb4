package dev.fedplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.fedplane.cli.testing.Cli;
import dev.fedplane.cli.testing.Cli.Result;
import dev.fedplane.cli.testing.ControlPlane;
import dev.fedplane.cli.testing.Golden;
import dev.fedplane.cli.testing.TestAgent;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppRevision;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.CreateTokenResponse;
import dev.fedplane.proto.v1.Explanation;
import dev.fedplane.proto.v1.GetEffectiveSpecResponse;
import dev.fedplane.proto.v1.GetWaterLevelsResponse;
import dev.fedplane.proto.v1.ListAppRevisionsResponse;
import dev.fedplane.proto.v1.ListAppsResponse;
import dev.fedplane.proto.v1.ListAuditEventsResponse;
import dev.fedplane.proto.v1.ListClustersResponse;
import dev.fedplane.proto.v1.ListTenantsResponse;
import dev.fedplane.proto.v1.ListTokensResponse;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantUsage;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.WhatIfAppOutcome;
import dev.fedplane.proto.v1.WhatIfResponse;
import dev.fedplane.proto.v1.WhatIfShare;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * fedctl in-process against a real control plane on a free port, with three clusters joined through
 * the real agent protocol. The tables checked against golden files run first (ordered), before the
 * tests that change the fleet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FedctlIT {
    static final String APP_YAML =
            """
            kind: App
            tenant: shop
            name: web
            spec:
              image: registry.example/web:1.0
              replicas: 4
              resources: {cpuMillis: 500, memoryMib: 512}
              placement:
                replicaScheduling: {type: DIVIDED}
            """;

    @TempDir Path dir;

    ControlPlane cp;
    Cli cli;
    final List<TestAgent> agents = new ArrayList<>();

    @BeforeAll
    void startFleet() throws Exception {
        cp = ControlPlane.start();
        cli = Cli.against(cp, Files.createTempDirectory("fedctl-it-"));
        CreateTokenResponse bootstrap =
                parse(
                        ok("token", "create", "--bootstrap", "--max-uses", "3", "-o", "json").out(),
                        CreateTokenResponse.getDefaultInstance());
        agents.add(
                TestAgent.join(
                        cp.channel(),
                        bootstrap.getSecret(),
                        "idc-a-1",
                        Map.of("region", "north", "idc", "a", "tier", "idc"),
                        TestAgent.capacity(8000, 32768, 110, 1000, 4096, 10),
                        0));
        agents.add(
                TestAgent.join(
                        cp.channel(),
                        bootstrap.getSecret(),
                        "idc-b-1",
                        Map.of("region", "east", "idc", "b", "tier", "idc"),
                        TestAgent.capacity(4000, 16384, 110, 2000, 8192, 30),
                        0));
        agents.add(
                TestAgent.join(
                        cp.channel(),
                        bootstrap.getSecret(),
                        "cloud-1",
                        Map.of("region", "east", "tier", "cloud"),
                        TestAgent.capacity(16000, 65536, 110, 4000, 16384, 20),
                        0.05));
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
        ok("create", "tenant", "shop", "--cpu", "8", "--memory", "16Gi", "--replicas", "20");
        cli.file("app.yaml", APP_YAML);
        assertThat(ok("apply", "-f", "app.yaml").out()).isEqualTo("app/shop/web created\n");
        awaitPlaced("shop/web", 4);
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
    static <T extends Message> T parse(String json, T prototype) throws IOException {
        Message.Builder b = prototype.newBuilderForType();
        JsonFormat.parser().merge(json, b);
        return (T) b.build();
    }

    static String yamlToJson(String yaml) {
        Object tree = new Yaml().load(yaml);
        return new com.google.gson.Gson().toJson(tree);
    }

    App app(String ref) throws IOException {
        return parse(ok("get", "app", ref, "-o", "json").out(), App.getDefaultInstance());
    }

    void awaitPlaced(String ref, int replicas) {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            App a = app(ref);
                            return a.getStatus().getObservedGeneration() == a.getGeneration()
                                    && a.getStatus().getClustersList().stream()
                                                    .mapToInt(c -> c.getDesired())
                                                    .sum()
                                            == replicas;
                        });
    }

    /*
     * The three clusters differ in free capacity (and cost), so their scores differ and no table
     * depends on how the scheduler breaks ties.
     */

    /** A clock five hours after everything in the fleet was created: every age prints as "5h". */
    Cli goldenCli() {
        return cli.clockAt(Instant.now().plus(Duration.ofHours(5)));
    }

    // ---- tables against golden files (before anything changes the fleet)

    @Test
    @Order(1)
    void clustersPrintAsTablesMatchingTheGoldenFiles() {
        Cli c = goldenCli();
        Golden.assertMatches("get-clusters.txt", c.run("get", "clusters").out());
        Golden.assertMatches("get-clusters-wide.txt", c.run("get", "clusters", "-o", "wide").out());
        Golden.assertMatches(
                "get-clusters-cloud.txt", c.run("get", "clusters", "-l", "tier=cloud").out());
    }

    @Test
    @Order(2)
    void appsAndTenantsPrintAsTablesMatchingTheGoldenFiles() {
        Cli c = goldenCli();
        Golden.assertMatches("get-apps.txt", c.run("get", "apps", "--tenant", "shop").out());
        Golden.assertMatches("get-apps-wide.txt", c.run("get", "apps", "-A", "-o", "wide").out());
        Golden.assertMatches("get-tenants.txt", c.run("get", "tenants").out());
    }

    @Test
    @Order(3)
    void explainPrintsEveryClustersVerdictMatchingTheGoldenFile() throws IOException {
        Golden.assertMatches(
                "explain-web.txt",
                goldenCli().run("explain", "app", "web", "--tenant", "shop").out());
        Explanation e =
                parse(
                        ok("explain", "app", "shop/web", "-o", "json").out(),
                        Explanation.getDefaultInstance());
        assertThat(e.getClustersList())
                .extracting(d -> d.getCluster())
                .containsExactly("cloud-1", "idc-a-1", "idc-b-1");
        assertThat(e.getClustersList().stream().mapToInt(d -> d.getReplicas()).sum()).isEqualTo(4);
    }

    @Test
    @Order(4)
    void capacityPrintsWaterLevelsWithBarsMatchingTheGoldenFiles() throws IOException {
        Cli c = goldenCli();
        Golden.assertMatches("capacity.txt", c.run("capacity").out());
        Golden.assertMatches("capacity-by-region.txt", c.run("capacity", "--by", "region").out());
        Golden.assertMatches("capacity-tenant.txt", c.run("capacity", "--tenant", "shop").out());
        GetWaterLevelsResponse levels =
                parse(
                        ok("capacity", "--by", "tier", "-o", "json").out(),
                        GetWaterLevelsResponse.getDefaultInstance());
        assertThat(levels.getLevelsList())
                .extracting(l -> l.getKey())
                .containsExactly("cloud", "idc");
        assertThat(levels.getTotal().getClusterCount()).isEqualTo(3);
        TenantUsage u =
                parse(
                        yamlToJson(ok("capacity", "--tenant", "shop", "-o", "yaml").out()),
                        TenantUsage.getDefaultInstance());
        assertThat(u.getReplicas()).isEqualTo(4);
        assertThat(u.getQuotaReplicas()).isEqualTo(20);
    }

    @Test
    @Order(5)
    void whatifAnswersWithoutChangingAnythingMatchingTheGoldenFiles() throws IOException {
        Cli c = goldenCli();
        App before = app("shop/web");
        Golden.assertMatches(
                "whatif-scale.txt",
                c.run("whatif", "scale", "app", "web", "--replicas", "12", "--tenant", "shop")
                        .out());
        Golden.assertMatches(
                "whatif-lose-cluster.txt", c.run("whatif", "lose", "cluster", "idc-b-1").out());
        Golden.assertMatches("whatif-lose-idc.txt", c.run("whatif", "lose", "idc", "a").out());
        cli.file(
                "new-app.yaml",
                """
                kind: App
                tenant: shop
                name: cache
                spec:
                  image: registry.example/cache:1.0
                  replicas: 3
                  resources: {cpuMillis: 1000, memoryMib: 1024}
                  placement: {replicaScheduling: {type: AGGREGATED}}
                """);
        Golden.assertMatches(
                "whatif-create.txt", c.run("whatif", "create", "-f", "new-app.yaml").out());

        WhatIfResponse scale =
                parse(
                        ok("whatif", "scale", "app", "shop/web=12", "-o", "json").out(),
                        WhatIfResponse.getDefaultInstance());
        WhatIfAppOutcome web = scale.getApps(0);
        assertThat(web.getReplicasBefore()).isEqualTo(4);
        assertThat(web.getReplicas()).isEqualTo(12);
        assertThat(
                        web.getSharesList().stream().mapToInt(WhatIfShare::getAfter).sum()
                                + web.getUnschedulable())
                .isEqualTo(12);
        assertThat(web.getIdcReplicas() + web.getCloudReplicas())
                .isEqualTo(web.getSharesList().stream().mapToInt(WhatIfShare::getAfter).sum());
        WhatIfResponse lost =
                parse(
                        yamlToJson(ok("whatif", "lose", "idc", "a", "-o", "yaml").out()),
                        WhatIfResponse.getDefaultInstance());
        assertThat(lost.getLostClustersList()).containsExactly("idc-a-1");
        assertThat(lost.getSummary().getLostReplicas())
                .isEqualTo(
                        before.getStatus().getClustersList().stream()
                                .filter(x -> x.getCluster().equals("idc-a-1"))
                                .mapToInt(x -> x.getDesired())
                                .sum());
        // Nothing changed.
        App after = app("shop/web");
        assertThat(after.getResourceVersion()).isEqualTo(before.getResourceVersion());
        assertThat(after.getStatus().getClustersList())
                .isEqualTo(before.getStatus().getClustersList());
        fails(ExitCodes.NOT_FOUND, "get", "app", "shop/cache");
    }

    @Test
    @Order(6)
    void capacityWithTenantsShowsLevelsMatchingTheGoldenFile() {
        Golden.assertMatches(
                "capacity-by-idc-tenants.txt",
                goldenCli().run("capacity", "--by", "idc", "--tenants").out());
    }

    // ---- reading

    @Test
    @Order(10)
    void getPrintsProto3JsonAndYamlThatParseBack() throws IOException {
        ListClustersResponse clusters =
                parse(
                        ok("get", "clusters", "-o", "json").out(),
                        ListClustersResponse.getDefaultInstance());
        assertThat(clusters.getClustersList())
                .extracting(Cluster::getName)
                .containsExactly("cloud-1", "idc-a-1", "idc-b-1");
        Cluster one =
                parse(
                        ok("get", "cluster", "idc-a-1", "-o", "json").out(),
                        Cluster.getDefaultInstance());
        assertThat(one.getLabelsMap()).containsEntry("region", "north");
        assertThat(one.getCapacity().getAllocatable().getCpuMillis()).isEqualTo(8000);
        ListTenantsResponse tenants =
                parse(
                        yamlToJson(ok("get", "tenants", "-o", "yaml").out()),
                        ListTenantsResponse.getDefaultInstance());
        assertThat(tenants.getTenantsList()).extracting(Tenant::getName).contains("shop");
        Tenant shop =
                parse(ok("get", "tenant", "shop", "-o", "json").out(), Tenant.getDefaultInstance());
        assertThat(shop.getQuota().getCpuMillis()).isEqualTo(8000);
        assertThat(shop.getQuota().getMemoryMib()).isEqualTo(16384);
        ListAppsResponse apps =
                parse(
                        ok("get", "apps", "-A", "-o", "json").out(),
                        ListAppsResponse.getDefaultInstance());
        assertThat(apps.getAppsList()).extracting(App::getName).contains("web");
        App web = app("shop/web");
        assertThat(web.getSpec().getReplicas()).isEqualTo(4);
        assertThat(web.getSpec().getResources().getCpuMillis()).isEqualTo(500);
    }

    @Test
    @Order(11)
    void describeShowsOneClusterAppAndTenantInDetail() {
        assertThat(ok("describe", "cluster", "idc-a-1").out())
                .contains("Name:               idc-a-1")
                .contains("State:              READY")
                .contains("region=north")
                .contains("Allocatable:      cpu 8, memory 32Gi, pods 110");
        assertThat(ok("describe", "app", "shop/web").out())
                .contains("Image:             registry.example/web:1.0")
                .contains("Replicas:          4 desired")
                .contains("Scheduling:        DIVIDED")
                .contains("CLUSTER");
        assertThat(ok("describe", "tenant", "shop").out())
                .contains("Quota:             cpu 8, memory 16Gi, replicas 20")
                .contains("Allowed clusters:  all");
    }

    @Test
    @Order(12)
    void whatGetPrintsAppliesUnchanged() throws IOException {
        cli.file("web.json", ok("get", "app", "shop/web", "-o", "json").out());
        assertThat(ok("apply", "-f", "web.json").out()).isEqualTo("app/shop/web unchanged\n");
        cli.file("web.yaml", ok("get", "app", "shop/web", "-o", "yaml").out());
        assertThat(ok("apply", "-f", "web.yaml").out()).isEqualTo("app/shop/web unchanged\n");
        cli.file("shop.yaml", ok("get", "tenant", "shop", "-o", "yaml").out());
        assertThat(ok("apply", "-f", "shop.yaml").out()).isEqualTo("tenant/shop unchanged\n");
    }

    @Test
    @Order(13)
    void auditListsTheWritesNewestFirst() throws IOException {
        ListAuditEventsResponse events =
                parse(
                        ok("audit", "-o", "json", "--limit", "500").out(),
                        ListAuditEventsResponse.getDefaultInstance());
        assertThat(events.getEventsList())
                .extracting(e -> e.getMethod())
                .contains(
                        "fedplane.v1.TenantService/CreateTenant",
                        "fedplane.v1.AppService/CreateApp");
        assertThat(events.getEvents(0).getTimeUnixMillis())
                .isGreaterThanOrEqualTo(
                        events.getEvents(events.getEventsCount() - 1).getTimeUnixMillis());
        assertThat(
                        parse(
                                        ok("audit", "--limit", "2", "-o", "json").out(),
                                        ListAuditEventsResponse.getDefaultInstance())
                                .getEventsCount())
                .isEqualTo(2);
        String table = ok("audit", "--tenant", "shop").out();
        assertThat(table.lines().findFirst().orElseThrow())
                .startsWith("TIME")
                .contains("ACTOR", "METHOD", "TARGET", "RESULT");
        assertThat(table).contains("AppService/CreateApp").contains("app/shop/web").contains("OK");
    }

    // ---- writing

    @Test
    @Order(20)
    void applyCreatesThenConfiguresEveryDocumentOfYamlAndJsonFiles() throws IOException {
        cli.file(
                "many.yaml",
                """
                kind: Tenant
                name: blog
                quota: {cpuMillis: 4000, replicas: 10}
                ---
                tenant: blog
                name: api
                spec: {image: "registry.example/api:2", replicas: 2, resources: {cpuMillis: 100, memoryMib: 128},
                       placement: {replicaScheduling: {type: DUPLICATED}, clusterAffinity: {matchLabels: {tier: idc}}}}
                ---
                tenant: blog
                name: worker
                spec: {image: "registry.example/worker:2", replicas: 1, resources: {cpuMillis: 100, memoryMib: 128},
                       placement: {replicaScheduling: {type: AGGREGATED}}}
                """);
        assertThat(ok("apply", "-f", "many.yaml").out())
                .isEqualTo("tenant/blog created\napp/blog/api created\napp/blog/worker created\n");
        assertThat(ok("apply", "-f", "many.yaml").out())
                .isEqualTo(
                        "tenant/blog unchanged\napp/blog/api unchanged\napp/blog/worker unchanged\n");
        cli.file(
                "change.json",
                """
                [
                  {"kind": "Tenant", "name": "blog", "quota": {"cpuMillis": "6000", "replicas": "12"}},
                  {"kind": "App", "tenant": "blog", "name": "worker",
                   "spec": {"image": "registry.example/worker:3", "replicas": 1, "resources": {"cpuMillis": 100, "memoryMib": 128},
                            "placement": {"replicaScheduling": {"type": "AGGREGATED"}}}}
                ]
                """);
        assertThat(ok("apply", "-f", "change.json").out())
                .isEqualTo("tenant/blog configured\napp/blog/worker configured\n");
        assertThat(app("blog/worker").getSpec().getImage()).isEqualTo("registry.example/worker:3");
        assertThat(app("blog/worker").getGeneration()).isEqualTo(2);
        Tenant blog =
                parse(ok("get", "tenant", "blog", "-o", "json").out(), Tenant.getDefaultInstance());
        assertThat(blog.getQuota().getCpuMillis()).isEqualTo(6000);
        assertThat(blog.getQuota().hasMemoryMib()).isFalse();
        // standard input, tenant from the flag
        Result r =
                cli.runWithInput(
                        """
                name: cron
                spec: {image: "registry.example/cron:1", replicas: 1, resources: {cpuMillis: 100, memoryMib: 64},
                       placement: {replicaScheduling: {type: AGGREGATED}}}
                """,
                        "apply",
                        "-f",
                        "-",
                        "--tenant",
                        "blog");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("app/blog/cron created\n");
    }

    @Test
    @Order(21)
    void rolloutHistoryAndDiffShowEveryTemplateChange() throws IOException {
        String v1 =
                """
                tenant: blog
                name: shopfront
                spec: {image: "registry.example/shopfront:1", replicas: 1, resources: {cpuMillis: 100, memoryMib: 128},
                       env: [{name: MODE, value: normal}], placement: {replicaScheduling: {type: AGGREGATED}}}
                """;
        cli.file("shopfront.yaml", v1);
        ok("apply", "-f", "shopfront.yaml");
        ok("scale", "app", "blog/shopfront", "--replicas", "2");
        cli.file(
                "shopfront.yaml",
                v1.replace("replicas: 1", "replicas: 2")
                        .replace("shopfront:1", "shopfront:2")
                        .replace("normal", "peak"));
        ok("apply", "-f", "shopfront.yaml");
        cli.file(
                "shopfront.yaml",
                v1.replace("replicas: 1", "replicas: 2")
                        .replace("shopfront:1", "shopfront:2")
                        .replace("normal", "peak")
                        .replace("cpuMillis: 100", "cpuMillis: 250"));
        ok("apply", "-f", "shopfront.yaml");

        Golden.assertMatches(
                "rollout-history.txt", ok("rollout", "history", "app", "blog/shopfront").out());
        Golden.assertMatches(
                "rollout-diff.txt",
                ok("rollout", "diff", "app", "shopfront", "1", "-t", "blog").out());
        assertThat(ok("rollout", "diff", "app", "blog/shopfront", "2", "2").out())
                .isEqualTo("revisions 2 and 2 have the same template\n");
        ListAppRevisionsResponse all =
                parse(
                        ok("rollout", "history", "app", "blog/shopfront", "-o", "json").out(),
                        ListAppRevisionsResponse.getDefaultInstance());
        assertThat(all.getRevisionsList())
                .extracting(rev -> rev.getRevision())
                .containsExactly(3L, 2L, 1L);
        AppRevision second =
                parse(
                        yamlToJson(
                                ok(
                                                "rollout",
                                                "history",
                                                "app",
                                                "blog/shopfront",
                                                "--revision",
                                                "2",
                                                "-o",
                                                "yaml")
                                        .out()),
                        AppRevision.getDefaultInstance());
        assertThat(second.getTemplate().getImage()).isEqualTo("registry.example/shopfront:2");
        assertThat(second.getCurrent()).isFalse();
        assertThat(ok("rollout", "history", "app", "blog/shopfront", "--revision", "0").out())
                .contains("Revision:   3 (current)")
                .contains("Image:      registry.example/shopfront:2")
                .contains("  MODE=peak");

        assertThat(
                        fails(
                                        ExitCodes.NOT_FOUND,
                                        "rollout",
                                        "history",
                                        "app",
                                        "blog/shopfront",
                                        "--revision",
                                        "9")
                                .err())
                .contains("NOT_FOUND")
                .contains("revision 9");
        fails(ExitCodes.NOT_FOUND, "rollout", "history", "app", "blog/nothing");
        fails(ExitCodes.USAGE, "rollout", "diff", "app", "blog/shopfront", "0");
        fails(ExitCodes.USAGE, "rollout", "history", "cluster", "idc-a-1");
        fails(ExitCodes.USAGE, "rollout", "diff", "app", "blog/shopfront", "one");
    }

    @Test
    @Order(21)
    void rolloutStatusPauseResumeApproveAbortAndUndo() throws IOException {
        String v1 =
                """
                tenant: blog
                name: canary
                spec: {image: "registry.example/canary:1", replicas: 1, resources: {cpuMillis: 100, memoryMib: 64},
                       placement: {replicaScheduling: {type: AGGREGATED}},
                       rollout: {maxSurge: 1, progressDeadlineSeconds: 3600,
                                 stages: [{name: a, clusterSelector: {idc: a}, gate: MANUAL}, {name: rest}]}}
                """;
        cli.file("canary.yaml", v1);
        ok("apply", "-f", "canary.yaml");
        awaitPlaced("blog/canary", 1);
        fails(ExitCodes.NOT_FOUND, "rollout", "status", "app", "blog/canary");
        cli.file("canary.yaml", v1.replace("canary:1", "canary:2"));
        ok("apply", "-f", "canary.yaml");
        // The test agents report no workloads: the started cluster stays UPDATING.
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                cli.run("rollout", "status", "app", "blog/canary")
                                        .out()
                                        .contains("UPDATING"));
        Golden.assertMatches(
                "rollout-status.txt", ok("rollout", "status", "app", "blog/canary").out());
        dev.fedplane.proto.v1.RolloutStatus json =
                parse(
                        ok("rollout", "status", "app", "canary", "-t", "blog", "-o", "json").out(),
                        dev.fedplane.proto.v1.RolloutStatus.getDefaultInstance());
        assertThat(json.getToRevision()).isEqualTo(2);
        assertThat(json.getStrategy().getStagesCount()).isEqualTo(2);

        assertThat(ok("describe", "app", "blog/canary").out())
                .contains(
                        "Rollout:           "
                                + json.getRolloutId()
                                + ": revision 1 -> 2, PROGRESSING, stage rest");
        assertThat(ok("rollout", "pause", "app", "blog/canary").out())
                .endsWith(" of app/blog/canary paused: PAUSED (paused by a user)\n");
        assertThat(fails(ExitCodes.REFUSED, "rollout", "approve", "app", "blog/canary").err())
                .contains("it is PAUSED");
        assertThat(ok("rollout", "resume", "app", "blog/canary").out())
                .endsWith(" of app/blog/canary resumed: PROGRESSING (resumed)\n");
        fails(
                ExitCodes.REFUSED,
                "rollout",
                "pause",
                "app",
                "blog/canary",
                "--rollout-id",
                Long.toString(json.getRolloutId() + 1));
        assertThat(ok("rollout", "abort", "app", "blog/canary").out())
                .contains(
                        " of app/blog/canary aborted: ABORTED (aborted by a user: every cluster runs revision 1)");
        assertThat(
                        ok(
                                        "rollout",
                                        "undo",
                                        "app",
                                        "blog/canary",
                                        "--to-revision",
                                        "1",
                                        "--immediate")
                                .out())
                .isEqualTo("app/blog/canary rolled back as revision 3, to every cluster at once\n");
        assertThat(ok("rollout", "undo", "app", "blog/canary").out())
                .startsWith(
                        "app/blog/canary rolled back as revision 4, rolling out in stages (rollout ");
        assertThat(app("blog/canary").getSpec().getImage()).isEqualTo("registry.example/canary:2");
        fails(ExitCodes.REFUSED, "rollout", "undo", "app", "blog/canary", "--to-revision", "2");
        fails(ExitCodes.USAGE, "rollout", "status", "cluster", "idc-a-1");
        fails(ExitCodes.USAGE, "rollout", "undo", "app", "blog/canary", "--to-revision", "-1");
        fails(ExitCodes.NOT_FOUND, "rollout", "abort", "app", "blog/nothing");
    }

    @Test
    @Order(21)
    void scaleChangesTheReplicasWhileGetWatchesIt() throws Exception {
        Result bounded =
                cli.run("get", "app", "blog/api", "-w", "--interval", "50ms", "--watch-count", "2");
        assertThat(bounded.exit()).isZero();
        assertThat(bounded.out().lines().filter(l -> l.startsWith("TENANT")).count())
                .as("unchanged output printed once")
                .isEqualTo(1);
        Cli.Running watch = cli.start("get", "app", "blog/api", "-w", "--interval", "100ms");
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> watch.output().contains("blog     api    0/2"));
            assertThat(ok("scale", "app", "api", "--tenant", "blog", "--replicas", "3").out())
                    .isEqualTo("app/blog/api scaled to 3 (generation 2)\n");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> watch.output().contains("blog     api    0/3"));
        } finally {
            watch.stop();
        }
        assertThat(watch.output().lines().filter(l -> l.startsWith("TENANT")).count())
                .isGreaterThanOrEqualTo(2);
        assertThat(app("blog/api").getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    @Order(22)
    void cordonUncordonAndDrainChangeTheClusterState() throws IOException {
        assertThat(ok("cordon", "cloud-1").out())
                .isEqualTo("cluster/cloud-1 cordoned (state CORDONED)\n");
        assertThat(
                        parse(
                                        ok("get", "cluster", "cloud-1", "-o", "json").out(),
                                        Cluster.getDefaultInstance())
                                .getCordoned())
                .isTrue();
        assertThat(ok("uncordon", "cloud-1").out())
                .isEqualTo("cluster/cloud-1 uncordoned (state READY)\n");
        assertThat(ok("drain", "cloud-1").out()).startsWith("cluster/cloud-1 draining (state ");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                app("shop/web").getStatus().getClustersList().stream()
                                        .noneMatch(
                                                c ->
                                                        c.getCluster().equals("cloud-1")
                                                                && c.getDesired() > 0));
        assertThat(
                        parse(
                                                ok("get", "cluster", "cloud-1", "-o", "json").out(),
                                                Cluster.getDefaultInstance())
                                        .getDraining()
                                || parse(
                                                ok("get", "cluster", "cloud-1", "-o", "json").out(),
                                                Cluster.getDefaultInstance())
                                        .getCordoned())
                .isTrue();
        ok("uncordon", "cloud-1");
        assertThat(
                        parse(
                                        ok("get", "cluster", "cloud-1", "-o", "json").out(),
                                        Cluster.getDefaultInstance())
                                .getState())
                .isEqualTo(ClusterState.READY);
    }

    @Test
    @Order(23)
    void aBootstrapTokensAgentCommandRegistersANewCluster() throws IOException {
        String command =
                ok(
                                "token",
                                "create",
                                "--bootstrap",
                                "--ttl",
                                "1h",
                                "--print-agent-command",
                                "--cluster-name",
                                "idc-c-1",
                                "--label",
                                "region=south",
                                "--label",
                                "tier=idc")
                        .out()
                        .strip();
        List<String> words = List.of(command.split(" "));
        assertThat(words.subList(0, 3))
                .containsExactly("java", "-jar", "cluster-agent/target/fedplane-agent.jar");
        assertThat(command)
                .contains("--control-plane " + cp.address())
                .contains("--cluster-name idc-c-1")
                .contains("--label region=south --label tier=idc")
                .doesNotContain("--no-plaintext");
        String secret = words.get(words.indexOf("--bootstrap-token") + 1);
        try (TestAgent agent =
                TestAgent.join(
                        cp.channel(),
                        secret,
                        "idc-c-1",
                        Map.of("region", "south"),
                        TestAgent.capacity(1000, 1024, 10),
                        0)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    parse(
                                                            ok(
                                                                            "get", "cluster",
                                                                            "idc-c-1", "-o", "json")
                                                                    .out(),
                                                            Cluster.getDefaultInstance())
                                                    .getState()
                                            == ClusterState.READY);
        }
        assertThat(ok("delete", "cluster", "idc-c-1").out()).isEqualTo("cluster/idc-c-1 deleted\n");
        fails(ExitCodes.NOT_FOUND, "get", "cluster", "idc-c-1");
        ListTokensResponse tokens =
                parse(
                        ok("get", "tokens", "-o", "json").out(),
                        ListTokensResponse.getDefaultInstance());
        assertThat(tokens.getTokensList())
                .filteredOn(t -> t.getKind() == TokenKind.BOOTSTRAP)
                .anySatisfy(t -> assertThat(t.getUses()).isEqualTo(1));
        String table = ok("get", "tokens").out();
        assertThat(table.lines().findFirst().orElseThrow())
                .startsWith("ID")
                .contains("KIND")
                .contains("USES")
                .contains("EXPIRES");
        assertThat(table).contains("bootstrap").contains("3/3");
    }

    @Test
    @Order(24)
    void anApiTokenIsCreatedShownOnceAndRevoked() throws IOException {
        CreateTokenResponse viewer =
                parse(
                        ok(
                                        "token",
                                        "create",
                                        "--role",
                                        "tenant-viewer",
                                        "--tenant",
                                        "shop",
                                        "-o",
                                        "json")
                                .out(),
                        CreateTokenResponse.getDefaultInstance());
        assertThat(viewer.getSecret()).startsWith(viewer.getToken().getId());
        // the viewer reads its tenant but may not write
        Result read = cli.run("--token", viewer.getSecret(), "get", "apps", "--tenant", "shop");
        assertThat(read.exit()).as("%s", read).isZero();
        Result denied =
                fails(
                        ExitCodes.DENIED,
                        "--token",
                        viewer.getSecret(),
                        "scale",
                        "app",
                        "shop/web",
                        "--replicas",
                        "5");
        assertThat(denied.err()).startsWith("error: PERMISSION_DENIED: ");
        assertThat(ok("token", "revoke", viewer.getToken().getId()).out())
                .isEqualTo("token/" + viewer.getToken().getId() + " revoked\n");
        assertThat(fails(ExitCodes.DENIED, "get", "apps", "--token", viewer.getSecret()).err())
                .startsWith("error: UNAUTHENTICATED: ");
        CreateTokenResponse admin =
                parse(
                        ok(
                                        "token",
                                        "create",
                                        "--role",
                                        "tenant-admin",
                                        "--tenant",
                                        "shop",
                                        "-o",
                                        "yaml")
                                .out()
                                .transform(FedctlIT::yamlToJson),
                        CreateTokenResponse.getDefaultInstance());
        assertThat(ok("delete", "token", admin.getToken().getId()).out())
                .isEqualTo("token/" + admin.getToken().getId() + " revoked\n");
        assertThat(
                        parse(
                                        ok("get", "tokens", "--include-revoked", "-o", "json")
                                                .out(),
                                        ListTokensResponse.getDefaultInstance())
                                .getTokensList())
                .anySatisfy(
                        t -> {
                            assertThat(t.getId()).isEqualTo(admin.getToken().getId());
                            assertThat(t.getRevoked()).isTrue();
                        });
    }

    @Test
    @Order(25)
    void deleteRemovesAnAppAndThenItIsNotFound() {
        assertThat(ok("delete", "app", "cron", "--tenant", "blog").out())
                .isEqualTo("app/blog/cron deleted\n");
        assertThat(fails(ExitCodes.NOT_FOUND, "get", "app", "blog/cron").err())
                .startsWith("error: NOT_FOUND: ");
        assertThat(fails(ExitCodes.NOT_FOUND, "delete", "app", "blog/cron").err())
                .startsWith("error: NOT_FOUND: ");
        assertThat(ok("create", "tenant", "empty", "--replicas", "1").out())
                .isEqualTo("tenant/empty created\n");
        assertThat(ok("delete", "tenant", "empty").out()).isEqualTo("tenant/empty deleted\n");
        fails(ExitCodes.NOT_FOUND, "describe", "tenant", "empty");
    }

    // ---- failures: one line, the status, the field, the exit status

    @Test
    @Order(30)
    void missingObjectsExitWithNotFound() {
        assertThat(fails(ExitCodes.NOT_FOUND, "get", "app", "shop/nope").err())
                .startsWith("error: NOT_FOUND: ");
        fails(ExitCodes.NOT_FOUND, "describe", "cluster", "nope");
        fails(ExitCodes.NOT_FOUND, "explain", "app", "nope", "--tenant", "shop");
        fails(ExitCodes.NOT_FOUND, "scale", "app", "shop/nope", "--replicas", "1");
        fails(ExitCodes.NOT_FOUND, "cordon", "nope");
        fails(ExitCodes.NOT_FOUND, "capacity", "--tenant", "nope");
    }

    @Test
    @Order(36)
    void whatifRefusesBadFlagsAndUnknownThings() throws IOException {
        assertThat(fails(ExitCodes.USAGE, "whatif", "scale", "app", "shop/web").err())
                .contains("no replica count");
        assertThat(fails(ExitCodes.USAGE, "whatif", "lose", "planet", "x").err())
                .contains("cluster or idc");
        fails(ExitCodes.USAGE, "whatif", "lose", "idc", "a", "b");
        fails(ExitCodes.USAGE, "whatif", "scale", "app", "shop/web=lots");
        fails(ExitCodes.USAGE, "whatif", "scale", "app", "shop/web", "--replicas", "x");
        assertThat(
                        fails(
                                        ExitCodes.USAGE,
                                        "whatif",
                                        "scale",
                                        "app",
                                        "shop/web",
                                        "--replicas",
                                        "-1")
                                .err())
                .startsWith("error: INVALID_ARGUMENT: ")
                .contains("scales[0].replicas");
        assertThat(fails(ExitCodes.NOT_FOUND, "whatif", "scale", "app", "shop/nope=3").err())
                .startsWith("error: NOT_FOUND: ");
        fails(ExitCodes.NOT_FOUND, "whatif", "lose", "cluster", "nope");
        fails(ExitCodes.NOT_FOUND, "whatif", "lose", "idc", "zz");
        cli.file(
                "bad-whatif.yaml",
                """
                tenant: shop
                name: broken
                spec:
                  replicas: 1
                  image: ""
                """);
        assertThat(fails(ExitCodes.USAGE, "whatif", "create", "-f", "bad-whatif.yaml").err())
                .startsWith("error: INVALID_ARGUMENT: ")
                .contains("bad-whatif.yaml:5");
        assertThat(fails(ExitCodes.USAGE, "whatif", "create", "-f", "missing.yaml").err())
                .isEqualTo("error: missing.yaml: no such file\n");
        CreateTokenResponse viewer =
                parse(
                        ok(
                                        "token",
                                        "create",
                                        "--role",
                                        "tenant-viewer",
                                        "--tenant",
                                        "shop",
                                        "-o",
                                        "json")
                                .out(),
                        CreateTokenResponse.getDefaultInstance());
        assertThat(
                        fails(
                                        ExitCodes.DENIED,
                                        "whatif",
                                        "lose",
                                        "idc",
                                        "a",
                                        "--token",
                                        viewer.getSecret())
                                .err())
                .startsWith("error: PERMISSION_DENIED: ");
        Result own =
                cli.run(
                        "whatif",
                        "scale",
                        "app",
                        "shop/web",
                        "--replicas",
                        "2",
                        "--token",
                        viewer.getSecret());
        assertThat(own.exit()).as("%s", own).isZero();
    }

    @Test
    @Order(31)
    void badOrMissingTokensExitWithDenied() {
        assertThat(fails(ExitCodes.DENIED, "--token", "not-a-token", "get", "clusters").err())
                .startsWith("error: UNAUTHENTICATED: ");
        Cli anonymous = Cli.against(cp, dir).env("FEDCTL_TOKEN", null);
        Result r = anonymous.run("get", "tenants");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.err()).startsWith("error: UNAUTHENTICATED: ");
    }

    @Test
    @Order(32)
    void serverValidationNamesTheFieldAndExitsWithUsage() {
        Result r = fails(ExitCodes.USAGE, "create", "tenant", "Not_A_Label");
        assertThat(r.err())
                .startsWith("error: INVALID_ARGUMENT: ")
                .contains("(field: tenant.name)");
        cli.file(
                "bad-image.yaml",
                """
                tenant: shop
                name: broken
                spec:
                  replicas: 1
                  image: ""
                  resources: {cpuMillis: 100, memoryMib: 64}
                  placement: {replicaScheduling: {type: DIVIDED}}
                """);
        Result bad = fails(ExitCodes.USAGE, "apply", "-f", "bad-image.yaml");
        assertThat(bad.err())
                .startsWith("error: INVALID_ARGUMENT: ")
                .contains("app.spec.image at bad-image.yaml:5");
        fails(ExitCodes.NOT_FOUND, "get", "app", "shop/broken");
    }

    @Test
    @Order(33)
    void duplicatesAndStaleVersionsExitWithConflictAndQuotaWithRefused() {
        assertThat(fails(ExitCodes.CONFLICT, "create", "tenant", "shop").err())
                .startsWith("error: ALREADY_EXISTS: ");
        assertThat(
                        fails(
                                        ExitCodes.CONFLICT,
                                        "scale",
                                        "app",
                                        "shop/web",
                                        "--replicas",
                                        "5",
                                        "--resource-version",
                                        "999999")
                                .err())
                .startsWith("error: ABORTED: ");
        assertThat(fails(ExitCodes.REFUSED, "scale", "app", "shop/web", "--replicas", "500").err())
                .startsWith("error: RESOURCE_EXHAUSTED: ");
        assertThat(fails(ExitCodes.REFUSED, "delete", "tenant", "shop").err())
                .startsWith("error: FAILED_PRECONDITION: ");
    }

    @Test
    @Order(34)
    void aMalformedFileIsRefusedWithItsLineBeforeAnythingIsSent() {
        cli.file(
                "typo.yaml",
                """
                kind: Tenant
                name: typo-first
                ---
                kind: App
                tenant: shop
                name: typo
                spec:
                  image: registry.example/typo:1
                  replicaz: 3
                """);
        Result r = fails(ExitCodes.USAGE, "apply", "-f", "typo.yaml");
        assertThat(r.err())
                .startsWith(
                        "error: typo.yaml:9: spec.replicaz: unknown field of AppSpec (known: image, replicas,");
        fails(ExitCodes.NOT_FOUND, "get", "tenant", "typo-first");
        assertThat(fails(ExitCodes.USAGE, "apply", "-f", "missing.yaml").err())
                .isEqualTo("error: missing.yaml: no such file\n");
    }

    @Test
    @Order(35)
    void anUnreachableServerExitsWithError() {
        Result r = fails(ExitCodes.ERROR, "--server", "127.0.0.1:1", "get", "clusters");
        assertThat(r.err())
                .startsWith("error: UNAVAILABLE: ")
                .contains("is the control plane running at 127.0.0.1:1?");
    }

    // ---- contexts

    @Test
    @Order(40)
    void aContextHoldsTheServerTokenFileAndTenant() throws IOException {
        Path token = cli.file("admin.token", ControlPlane.ADMIN_TOKEN + "\n");
        Cli fresh = new Cli(Files.createTempDirectory("fedctl-ctx-"));
        Files.copy(token, fresh.workDir().resolve("admin.token"));
        assertThat(
                        fresh.run(
                                        "config",
                                        "set-context",
                                        "local",
                                        "--server",
                                        cp.address(),
                                        "--token-file",
                                        "admin.token",
                                        "--tenant",
                                        "shop")
                                .exit())
                .isZero();
        assertThat(
                        fresh.run("config", "set-context", "elsewhere", "--server", "127.0.0.1:1")
                                .exit())
                .isZero();
        Path config = fresh.home().resolve(".fedplane/config");
        assertThat(Files.getPosixFilePermissions(config))
                .containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Result apps = fresh.run("get", "apps");
        assertThat(apps.exit()).as("%s", apps).isZero();
        assertThat(apps.out()).contains("shop").contains("web");
        assertThat(fresh.run("config", "use-context", "elsewhere").out())
                .isEqualTo("current context: elsewhere\n");
        assertThat(fresh.run("get", "apps").exit()).isEqualTo(ExitCodes.ERROR);
        Result viaFlag = fresh.run("get", "apps", "--context", "local");
        assertThat(viaFlag.exit()).as("%s", viaFlag).isZero();
        String contexts = fresh.run("config", "get-contexts").out();
        assertThat(contexts)
                .contains("*         elsewhere")
                .contains("local")
                .contains("file " + fresh.workDir().resolve("admin.token"))
                .doesNotContain(ControlPlane.ADMIN_TOKEN);
        assertThat(fresh.run("get", "apps", "--context", "nope").err())
                .startsWith("error: no context \"nope\"");
    }

    // ---- per-cluster overrides

    @Test
    @Order(41)
    void explainShowsTheEffectiveSpecOfEveryClusterAnOverrideMatches() throws IOException {
        cli.file(
                "mirrored.yaml",
                """
                kind: App
                tenant: shop
                name: mirrored
                spec:
                  image: registry.example/team/mirrored:2.1
                  replicas: 2
                  resources: {cpuMillis: 200, memoryMib: 256}
                  env:
                  - {name: MODE, value: prod}
                  - {name: DEBUG, value: "0"}
                  placement:
                    replicaScheduling: {type: DIVIDED}
                  overrides:
                  - name: idc-registry
                    selector: {matchLabels: {tier: idc}}
                    imageRegistry: harbor.idc.example
                    removeEnv: [DEBUG]
                    env: [{name: REGION, value: idc}]
                    labels: {team: checkout}
                  - name: idc-a-small
                    selector: {names: [idc-a-1]}
                    resources: {cpuMillis: 100}
                    annotations: {example.com/owner: ops-a}
                    replicasFloor: 1
                """);
        assertThat(ok("apply", "-f", "mirrored.yaml").out())
                .isEqualTo("app/shop/mirrored created\n");
        awaitPlaced("shop/mirrored", 2);
        assertThat(ok("describe", "app", "shop/mirrored").out())
                .contains("Overrides:         idc-registry, idc-a-small (in order;");
        assertThat(app("shop/mirrored").getSpec().getOverridesList())
                .extracting(o -> o.getName())
                .containsExactly("idc-registry", "idc-a-small");

        String explained = goldenCli().run("explain", "app", "mirrored", "--tenant", "shop").out();
        Golden.assertMatches(
                "explain-overrides.txt",
                explained.substring(explained.indexOf("\nEffective spec")));
        Golden.assertMatches(
                "effective-idc-a-1.txt",
                goldenCli().run("explain", "app", "shop/mirrored", "--cluster", "idc-a-1").out());
        GetEffectiveSpecResponse cloud =
                parse(
                        ok("explain", "app", "shop/mirrored", "--cluster", "cloud-1", "-o", "json")
                                .out(),
                        GetEffectiveSpecResponse.getDefaultInstance());
        assertThat(cloud.getEffective().getImage()).isEqualTo("registry.example/team/mirrored:2.1");
        assertThat(cloud.getEffective().getAppliedOverridesList()).isEmpty();
        fails(ExitCodes.NOT_FOUND, "explain", "app", "shop/mirrored", "--cluster", "nowhere");
        ok("delete", "app", "shop/mirrored");
    }
}
