package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.ControlPlaneHarness.ADMIN_TOKEN;
import static dev.fedplane.controlplane.testing.Fixtures.aCluster;
import static dev.fedplane.controlplane.testing.Fixtures.aSpec;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.rpc.BadRequest;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.*;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation and state rule of the platform API: the gRPC status, and for INVALID_ARGUMENT
 * the field named in the google.rpc.BadRequest detail. Against one server with a tenant "acme"
 * (quota 10 replicas, 10000 mCPU, 10240 MiB) holding app "web" (2 replicas of 500m/512Mi) and a
 * cluster "c1".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationIT {
    private ControlPlaneHarness cp;
    private Stubs admin;

    @BeforeAll
    void start() {
        cp = ControlPlaneHarness.start(ControlPlaneHarness.Store.H2);
        admin = Stubs.of(cp.channel(), ADMIN_TOKEN);
        admin.tenants()
                .createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(aTenant("acme", 10000, 10240, 10))
                                .build());
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("other")).build());
        admin.apps()
                .createApp(CreateAppRequest.newBuilder().setApp(anApp("acme", "web", 2)).build());
        admin.clusters()
                .createCluster(
                        CreateClusterRequest.newBuilder().setCluster(aCluster("c1")).build());
    }

    @AfterAll
    void stop() {
        cp.close();
    }

    private static Arguments invalid(String sentence, Stubs.Call call, String field) {
        return arguments(Named.of(sentence, call), Status.Code.INVALID_ARGUMENT, field);
    }

    private static Arguments fails(String sentence, Stubs.Call call, Status.Code code) {
        return arguments(Named.of(sentence, call), code, null);
    }

    private static CreateTenantRequest tenant(Tenant.Builder t) {
        return CreateTenantRequest.newBuilder().setTenant(t).build();
    }

    private static NetworkRules egress(String cidr, int port, String protocol) {
        return NetworkRules.newBuilder()
                .addEgress(
                        EgressRule.newBuilder().setCidr(cidr).setPort(port).setProtocol(protocol))
                .build();
    }

    private static ClusterOverride.Builder override(String name) {
        return ClusterOverride.newBuilder()
                .setName(name)
                .setSelector(ClusterSelector.newBuilder().putMatchLabels("idc", "bj"))
                .putLabels("team", "x");
    }

    private static CreateAppRequest app(AppSpec.Builder spec) {
        return CreateAppRequest.newBuilder()
                .setApp(App.newBuilder().setTenant("acme").setName("new-app").setSpec(spec))
                .build();
    }

    private static AppSpec.Builder withPolicy(
            java.util.function.UnaryOperator<PlacementPolicy.Builder> f) {
        AppSpec.Builder s = aSpec(1);
        return s.setPlacement(f.apply(s.getPlacement().toBuilder()));
    }

    Stream<Arguments> cases() {
        return Stream.of(
                // tenants
                invalid(
                        "a tenant name with upper case and '_' is not a DNS-1123 label",
                        s -> s.tenants().createTenant(tenant(aTenant("Bad_Name"))),
                        "tenant.name"),
                invalid(
                        "a tenant without a name is refused",
                        s -> s.tenants().createTenant(tenant(aTenant(""))),
                        "tenant.name"),
                invalid(
                        "a tenant name of 64 characters is too long",
                        s -> s.tenants().createTenant(tenant(aTenant("a".repeat(64)))),
                        "tenant.name"),
                invalid(
                        "a negative CPU quota is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("q")
                                                                .setQuota(
                                                                        TenantQuota.newBuilder()
                                                                                .setCpuMillis(
                                                                                        -1)))),
                        "tenant.quota.cpu_millis"),
                invalid(
                        "a per-cluster quota naming a cluster twice is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("q")
                                                                .setQuota(
                                                                        TenantQuota.newBuilder()
                                                                                .addPerCluster(
                                                                                        ClusterQuota
                                                                                                .newBuilder()
                                                                                                .setCluster(
                                                                                                        "c1"))
                                                                                .addPerCluster(
                                                                                        ClusterQuota
                                                                                                .newBuilder()
                                                                                                .setCluster(
                                                                                                        "c1"))))),
                        "tenant.quota.per_cluster[1].cluster"),
                invalid(
                        "an egress CIDR with a prefix over 32 is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        egress(
                                                                                "10.0.32.0/33",
                                                                                5978,
                                                                                "TCP")))),
                        "tenant.network.egress[0].cidr"),
                invalid(
                        "an egress CIDR with host bits set is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        egress(
                                                                                "10.0.32.5/24",
                                                                                5978,
                                                                                "TCP")))),
                        "tenant.network.egress[0].cidr"),
                invalid(
                        "an egress CIDR that is a host name is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        egress(
                                                                                "db.example.com/24",
                                                                                5978,
                                                                                "TCP")))),
                        "tenant.network.egress[0].cidr"),
                invalid(
                        "an egress port above 65535 is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        egress(
                                                                                "10.0.32.0/24",
                                                                                70000,
                                                                                "TCP")))),
                        "tenant.network.egress[0].port"),
                invalid(
                        "an egress protocol other than TCP, UDP or SCTP is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        egress(
                                                                                "10.0.32.0/24",
                                                                                53,
                                                                                "ICMP")))),
                        "tenant.network.egress[0].protocol"),
                invalid(
                        "a cross-tenant rule without a direction is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        NetworkRules.newBuilder()
                                                                                .addCrossTenant(
                                                                                        CrossTenantRule
                                                                                                .newBuilder()
                                                                                                .setPeerTenant(
                                                                                                        "other")
                                                                                                .setApp(
                                                                                                        "api")
                                                                                                .setPort(
                                                                                                        80))))),
                        "tenant.network.cross_tenant[0].direction"),
                invalid(
                        "a cross-tenant rule on port 0 is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        NetworkRules.newBuilder()
                                                                                .addCrossTenant(
                                                                                        CrossTenantRule
                                                                                                .newBuilder()
                                                                                                .setDirection(
                                                                                                        CrossTenantRule
                                                                                                                .Direction
                                                                                                                .EGRESS)
                                                                                                .setPeerTenant(
                                                                                                        "other")
                                                                                                .setApp(
                                                                                                        "api"))))),
                        "tenant.network.cross_tenant[0].port"),
                fails(
                        "a cross-tenant rule naming an unknown tenant is NOT_FOUND",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setNetwork(
                                                                        NetworkRules.newBuilder()
                                                                                .addCrossTenant(
                                                                                        CrossTenantRule
                                                                                                .newBuilder()
                                                                                                .setDirection(
                                                                                                        CrossTenantRule
                                                                                                                .Direction
                                                                                                                .EGRESS)
                                                                                                .setPeerTenant(
                                                                                                        "ghost")
                                                                                                .setApp(
                                                                                                        "api")
                                                                                                .setPort(
                                                                                                        80))))),
                        Status.Code.NOT_FOUND),
                invalid(
                        "an allowed-cluster expression In without values is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setAllowedClusters(
                                                                        ClusterSelector.newBuilder()
                                                                                .addMatchExpressions(
                                                                                        LabelSelectorRequirement
                                                                                                .newBuilder()
                                                                                                .setKey(
                                                                                                        "region")
                                                                                                .setOperator(
                                                                                                        LabelSelectorRequirement
                                                                                                                .Operator
                                                                                                                .IN))))),
                        "tenant.allowed_clusters.match_expressions[0].values"),
                invalid(
                        "an allowed-cluster expression without an operator is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(
                                                        aTenant("n")
                                                                .setAllowedClusters(
                                                                        ClusterSelector.newBuilder()
                                                                                .addMatchExpressions(
                                                                                        LabelSelectorRequirement
                                                                                                .newBuilder()
                                                                                                .setKey(
                                                                                                        "region"))))),
                        "tenant.allowed_clusters.match_expressions[0].operator"),
                invalid(
                        "a tenant label with a space in its key is refused",
                        s ->
                                s.tenants()
                                        .createTenant(
                                                tenant(aTenant("n").putLabels("bad key", "x"))),
                        "tenant.labels[bad key]"),
                fails(
                        "a second tenant with a taken name is ALREADY_EXISTS",
                        s -> s.tenants().createTenant(tenant(aTenant("acme"))),
                        Status.Code.ALREADY_EXISTS),
                fails(
                        "reading an unknown tenant is NOT_FOUND",
                        s ->
                                s.tenants()
                                        .getTenant(
                                                GetTenantRequest.newBuilder()
                                                        .setName("ghost")
                                                        .build()),
                        Status.Code.NOT_FOUND),
                fails(
                        "updating a tenant at a stale resource_version is ABORTED",
                        s ->
                                s.tenants()
                                        .updateTenant(
                                                UpdateTenantRequest.newBuilder()
                                                        .setTenant(
                                                                aTenant("acme", 10000, 10240, 10)
                                                                        .setResourceVersion(999))
                                                        .build()),
                        Status.Code.ABORTED),
                fails(
                        "deleting a tenant that still has apps is FAILED_PRECONDITION",
                        s ->
                                s.tenants()
                                        .deleteTenant(
                                                DeleteTenantRequest.newBuilder()
                                                        .setName("acme")
                                                        .build()),
                        Status.Code.FAILED_PRECONDITION),
                fails(
                        "lowering a quota below what the apps use is FAILED_PRECONDITION",
                        s ->
                                s.tenants()
                                        .updateTenant(
                                                UpdateTenantRequest.newBuilder()
                                                        .setTenant(aTenant("acme", 10000, 10240, 1))
                                                        .build()),
                        Status.Code.FAILED_PRECONDITION),
                invalid(
                        "a negative page size is refused",
                        s ->
                                s.tenants()
                                        .listTenants(
                                                ListTenantsRequest.newBuilder()
                                                        .setPageSize(-1)
                                                        .build()),
                        "page_size"),
                invalid(
                        "a page size above 1000 is refused",
                        s ->
                                s.tenants()
                                        .listTenants(
                                                ListTenantsRequest.newBuilder()
                                                        .setPageSize(5000)
                                                        .build()),
                        "page_size"),
                invalid(
                        "a page token this server did not issue is refused",
                        s ->
                                s.tenants()
                                        .listTenants(
                                                ListTenantsRequest.newBuilder()
                                                        .setPageToken("garbage!")
                                                        .build()),
                        "page_token"),
                // apps
                invalid(
                        "an app name that is not a DNS-1123 label is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                CreateAppRequest.newBuilder()
                                                        .setApp(anApp("acme", "Web.App", 1))
                                                        .build()),
                        "app.name"),
                invalid(
                        "an app whose tenant name is malformed is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                CreateAppRequest.newBuilder()
                                                        .setApp(anApp("ACME", "web2", 1))
                                                        .build()),
                        "app.tenant"),
                invalid(
                        "an override with an empty selector is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).addOverrides(
                                                                        ClusterOverride.newBuilder()
                                                                                .setName("all")
                                                                                .putLabels(
                                                                                        "a",
                                                                                        "b")))),
                        "app.spec.overrides[0].selector"),
                invalid(
                        "an override's registry that is no host is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).addOverrides(
                                                                        override("bj")
                                                                                .setImageRegistry(
                                                                                        "harbor")))),
                        "app.spec.overrides[0].image_registry"),
                invalid(
                        "an override label under fedplane.dev/ is refused on update too",
                        s ->
                                s.apps()
                                        .updateApp(
                                                UpdateAppRequest.newBuilder()
                                                        .setApp(
                                                                App.newBuilder()
                                                                        .setTenant("acme")
                                                                        .setName("web")
                                                                        .setSpec(
                                                                                aSpec(2)
                                                                                        .addOverrides(
                                                                                                override(
                                                                                                        "ok"))
                                                                                        .addOverrides(
                                                                                                override(
                                                                                                                "bj")
                                                                                                        .putLabels(
                                                                                                                "fedplane.dev/app",
                                                                                                                "x"))))
                                                        .build()),
                        "app.spec.overrides[1].labels[fedplane.dev/app]"),
                invalid(
                        "an override request above the spec's is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).addOverrides(
                                                                        override("bj")
                                                                                .setResources(
                                                                                        Resources
                                                                                                .newBuilder()
                                                                                                .setCpuMillis(
                                                                                                        501))))),
                        "app.spec.overrides[0].resources.cpu_millis"),
                invalid(
                        "two overrides of one name are refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).addOverrides(override("bj"))
                                                                .addOverrides(override("bj")))),
                        "app.spec.overrides[1].name"),
                invalid(
                        "the effective spec of a cluster that is no name is refused",
                        s ->
                                s.apps()
                                        .getEffectiveSpec(
                                                GetEffectiveSpecRequest.newBuilder()
                                                        .setTenant("acme")
                                                        .setName("web")
                                                        .setCluster("C 1")
                                                        .build()),
                        "cluster"),
                fails(
                        "the effective spec in an unknown cluster is NOT_FOUND",
                        s ->
                                s.apps()
                                        .getEffectiveSpec(
                                                GetEffectiveSpecRequest.newBuilder()
                                                        .setTenant("acme")
                                                        .setName("web")
                                                        .setCluster("nowhere")
                                                        .build()),
                        Status.Code.NOT_FOUND),
                fails(
                        "the effective spec of an unknown app is NOT_FOUND",
                        s ->
                                s.apps()
                                        .getEffectiveSpec(
                                                GetEffectiveSpecRequest.newBuilder()
                                                        .setTenant("acme")
                                                        .setName("nope")
                                                        .setCluster("c1")
                                                        .build()),
                        Status.Code.NOT_FOUND),
                invalid(
                        "an app without an image is refused",
                        s -> s.apps().createApp(app(aSpec(1).setImage(""))),
                        "app.spec.image"),
                invalid(
                        "negative replicas are refused",
                        s -> s.apps().createApp(app(aSpec(-1))),
                        "app.spec.replicas"),
                invalid(
                        "a negative CPU request is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).setResources(
                                                                        Resources.newBuilder()
                                                                                .setCpuMillis(
                                                                                        -5)))),
                        "app.spec.resources.cpu_millis"),
                invalid(
                        "a CPU request above a million cores is refused (it overflowed the tenant's usage: INTERNAL)",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).setResources(
                                                                        Resources.newBuilder()
                                                                                .setCpuMillis(
                                                                                        Long
                                                                                                .MAX_VALUE)))),
                        "app.spec.resources.cpu_millis"),
                invalid(
                        "a memory request above a pebibyte is refused (it overflowed the tenant's usage: INTERNAL)",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(3).setResources(
                                                                        Resources.newBuilder()
                                                                                .setCpuMillis(10)
                                                                                .setMemoryMib(
                                                                                        Long
                                                                                                        .MAX_VALUE
                                                                                                / 2)))),
                        "app.spec.resources.memory_mib"),
                invalid(
                        "a container port of 0 is refused",
                        s -> s.apps().createApp(app(aSpec(1).addPorts(ContainerPort.newBuilder()))),
                        "app.spec.ports[0].container_port"),
                invalid(
                        "the same container port twice is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).addPorts(
                                                                        ContainerPort.newBuilder()
                                                                                .setContainerPort(
                                                                                        80))
                                                                .addPorts(
                                                                        ContainerPort.newBuilder()
                                                                                .setContainerPort(
                                                                                        80)))),
                        "app.spec.ports[1].container_port"),
                invalid(
                        "an env var name with '=' is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        aSpec(1).addEnv(
                                                                        EnvVar.newBuilder()
                                                                                .setName("A=B")))),
                        "app.spec.env[0].name"),
                invalid(
                        "a placement without a replica scheduling type is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        withPolicy(
                                                                p ->
                                                                        p.setReplicaScheduling(
                                                                                ReplicaScheduling
                                                                                        .newBuilder())))),
                        "app.spec.placement.replica_scheduling.type"),
                invalid(
                        "a negative weight is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        withPolicy(
                                                                p ->
                                                                        p.setReplicaScheduling(
                                                                                p
                                                                                        .getReplicaScheduling()
                                                                                        .toBuilder()
                                                                                        .addWeights(
                                                                                                ClusterWeight
                                                                                                        .newBuilder()
                                                                                                        .setWeight(
                                                                                                                -2)))))),
                        "app.spec.placement.replica_scheduling.weights[0].weight"),
                invalid(
                        "a negative minReplicas is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        withPolicy(
                                                                p ->
                                                                        p.addClusterLimits(
                                                                                ClusterLimit
                                                                                        .newBuilder()
                                                                                        .setMinReplicas(
                                                                                                -1))))),
                        "app.spec.placement.cluster_limits[0].min_replicas"),
                invalid(
                        "a spread by a malformed label is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        withPolicy(
                                                                p ->
                                                                        p.addSpread(
                                                                                SpreadConstraint
                                                                                        .newBuilder()
                                                                                        .setBy(
                                                                                                "not a label")
                                                                                        .setMinGroups(
                                                                                                2))))),
                        "app.spec.placement.spread[0].by"),
                invalid(
                        "a toleration operator other than Equal or Exists is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        withPolicy(
                                                                p ->
                                                                        p.addTolerations(
                                                                                Toleration
                                                                                        .newBuilder()
                                                                                        .setKey(
                                                                                                "dedicated")
                                                                                        .setOperator(
                                                                                                "Gt"))))),
                        "app.spec.placement.tolerations[0].operator"),
                invalid(
                        "a negative maxCloudReplicas is refused",
                        s ->
                                s.apps()
                                        .createApp(
                                                app(
                                                        withPolicy(
                                                                p ->
                                                                        p.setBurst(
                                                                                BurstPolicy
                                                                                        .newBuilder()
                                                                                        .setAllowCloud(
                                                                                                true)
                                                                                        .setMaxCloudReplicas(
                                                                                                -3))))),
                        "app.spec.placement.burst.max_cloud_replicas"),
                fails(
                        "an app of an unknown tenant is NOT_FOUND",
                        s ->
                                s.apps()
                                        .createApp(
                                                CreateAppRequest.newBuilder()
                                                        .setApp(anApp("ghost", "web", 1))
                                                        .build()),
                        Status.Code.NOT_FOUND),
                fails(
                        "a second app with a taken name is ALREADY_EXISTS",
                        s ->
                                s.apps()
                                        .createApp(
                                                CreateAppRequest.newBuilder()
                                                        .setApp(anApp("acme", "web", 1))
                                                        .build()),
                        Status.Code.ALREADY_EXISTS),
                fails(
                        "an app beyond the tenant's replica quota is RESOURCE_EXHAUSTED",
                        s -> s.apps().createApp(app(aSpec(9))),
                        Status.Code.RESOURCE_EXHAUSTED),
                invalid(
                        "scaling to negative replicas is refused",
                        s ->
                                s.apps()
                                        .scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("acme")
                                                        .setName("web")
                                                        .setReplicas(-1)
                                                        .build()),
                        "replicas"),
                fails(
                        "scaling at a stale resource_version is ABORTED",
                        s ->
                                s.apps()
                                        .scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("acme")
                                                        .setName("web")
                                                        .setReplicas(3)
                                                        .setResourceVersion(999)
                                                        .build()),
                        Status.Code.ABORTED),
                fails(
                        "scaling an unknown app is NOT_FOUND",
                        s ->
                                s.apps()
                                        .scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("acme")
                                                        .setName("ghost")
                                                        .setReplicas(3)
                                                        .build()),
                        Status.Code.NOT_FOUND),
                fails(
                        "scaling past the quota is RESOURCE_EXHAUSTED",
                        s ->
                                s.apps()
                                        .scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("acme")
                                                        .setName("web")
                                                        .setReplicas(11)
                                                        .build()),
                        Status.Code.RESOURCE_EXHAUSTED),
                // clusters
                invalid(
                        "a cluster name that is not a DNS-1123 label is refused",
                        s ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(aCluster("Idc_A"))
                                                        .build()),
                        "cluster.name"),
                invalid(
                        "a tier label other than idc or cloud is refused",
                        s ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(
                                                                aCluster("c9")
                                                                        .putLabels("tier", "edge"))
                                                        .build()),
                        "cluster.labels[tier]"),
                invalid(
                        "a taint effect that does not exist is refused",
                        s ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(
                                                                aCluster("c9")
                                                                        .addTaints(
                                                                                Taint.newBuilder()
                                                                                        .setKey("k")
                                                                                        .setEffect(
                                                                                                "NoWay")))
                                                        .build()),
                        "cluster.taints[0].effect"),
                invalid(
                        "a negative cost is refused",
                        s ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(
                                                                aCluster("c9")
                                                                        .setCostPerCpuHour(-0.5))
                                                        .build()),
                        "cluster.cost_per_cpu_hour"),
                invalid(
                        "negative allocatable CPU is refused",
                        s ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(
                                                                aCluster("c9")
                                                                        .setCapacity(
                                                                                ClusterCapacity
                                                                                        .newBuilder()
                                                                                        .setAllocatable(
                                                                                                Resources
                                                                                                        .newBuilder()
                                                                                                        .setCpuMillis(
                                                                                                                -1))))
                                                        .build()),
                        "cluster.capacity.allocatable.cpu_millis"),
                invalid(
                        "a new cluster cannot start LOST",
                        s ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(
                                                                aCluster("c9")
                                                                        .setState(
                                                                                ClusterState.LOST))
                                                        .build()),
                        "cluster.state"),
                fails(
                        "a second cluster with a taken name is ALREADY_EXISTS",
                        s ->
                                s.clusters()
                                        .createCluster(
                                                CreateClusterRequest.newBuilder()
                                                        .setCluster(aCluster("c1"))
                                                        .build()),
                        Status.Code.ALREADY_EXISTS),
                fails(
                        "cordoning an unknown cluster is NOT_FOUND",
                        s ->
                                s.clusters()
                                        .cordonCluster(
                                                CordonClusterRequest.newBuilder()
                                                        .setName("ghost")
                                                        .build()),
                        Status.Code.NOT_FOUND),
                fails(
                        "cordoning at a stale resource_version is ABORTED",
                        s ->
                                s.clusters()
                                        .cordonCluster(
                                                CordonClusterRequest.newBuilder()
                                                        .setName("c1")
                                                        .setResourceVersion(999)
                                                        .build()),
                        Status.Code.ABORTED),
                // tokens
                invalid(
                        "a token without a kind is refused",
                        s ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setRole(Role.TENANT_ADMIN)
                                                        .setTenant("acme")
                                                        .build()),
                        "kind"),
                invalid(
                        "an API token without a role is refused",
                        s ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.API)
                                                        .build()),
                        "role"),
                invalid(
                        "a tenant role without a tenant is refused",
                        s ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.API)
                                                        .setRole(Role.TENANT_VIEWER)
                                                        .build()),
                        "tenant"),
                invalid(
                        "a platform-admin token bound to a tenant is refused",
                        s ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.API)
                                                        .setRole(Role.PLATFORM_ADMIN)
                                                        .setTenant("acme")
                                                        .build()),
                        "tenant"),
                invalid(
                        "a bootstrap token with a role is refused",
                        s ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.BOOTSTRAP)
                                                        .setRole(Role.TENANT_ADMIN)
                                                        .build()),
                        "role"),
                invalid(
                        "a negative token lifetime is refused",
                        s ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.BOOTSTRAP)
                                                        .setTtlSeconds(-60)
                                                        .build()),
                        "ttl_seconds"),
                fails(
                        "a token for an unknown tenant is NOT_FOUND",
                        s ->
                                s.tokens()
                                        .createToken(
                                                CreateTokenRequest.newBuilder()
                                                        .setKind(TokenKind.API)
                                                        .setRole(Role.TENANT_VIEWER)
                                                        .setTenant("ghost")
                                                        .build()),
                        Status.Code.NOT_FOUND),
                fails(
                        "revoking an unknown token is NOT_FOUND",
                        s ->
                                s.tokens()
                                        .revokeToken(
                                                RevokeTokenRequest.newBuilder()
                                                        .setId("tok-000000000000")
                                                        .build()),
                        Status.Code.NOT_FOUND),
                // capacity and audit
                invalid(
                        "tenant usage of a malformed tenant name is refused",
                        s ->
                                s.capacity()
                                        .getTenantUsage(
                                                GetTenantUsageRequest.newBuilder()
                                                        .setTenant("No Such")
                                                        .build()),
                        "tenant"),
                fails(
                        "tenant usage of an unknown tenant is NOT_FOUND",
                        s ->
                                s.capacity()
                                        .getTenantUsage(
                                                GetTenantUsageRequest.newBuilder()
                                                        .setTenant("ghost")
                                                        .build()),
                        Status.Code.NOT_FOUND),
                invalid(
                        "an audit page token this server did not issue is refused",
                        s ->
                                s.audit()
                                        .listAuditEvents(
                                                ListAuditEventsRequest.newBuilder()
                                                        .setPageToken("nope")
                                                        .build()),
                        "page_token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithTheRightStatusAndField(Stubs.Call call, Status.Code code, String field) {
        assertThatThrownBy(() -> call.run(admin))
                .satisfies(
                        e -> {
                            assertThat(Status.fromThrowable(e).getCode())
                                    .as(Status.fromThrowable(e).toString())
                                    .isEqualTo(code);
                            com.google.rpc.Status details = StatusProto.fromThrowable(e);
                            assertThat(details).as("google.rpc.Status details").isNotNull();
                            if (field != null) {
                                BadRequest bad =
                                        details.getDetailsList().stream()
                                                .filter(d -> d.is(BadRequest.class))
                                                .map(d -> unpack(d))
                                                .findFirst()
                                                .orElseThrow();
                                assertThat(bad.getFieldViolationsList())
                                        .extracting(BadRequest.FieldViolation::getField)
                                        .contains(field);
                                assertThat(Status.fromThrowable(e).getDescription())
                                        .contains(field);
                            }
                        });
    }

    @Test
    @DisplayName("failed writes leave nothing behind: the store is as it was before them")
    void failedWritesLeaveNothing() {
        // Apps earlier tests created are placed first: the reconciler's status writes are not
        // what this test looks for.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(
                        () ->
                                admin
                                        .apps()
                                        .listApps(ListAppsRequest.getDefaultInstance())
                                        .getAppsList()
                                        .stream()
                                        .allMatch(
                                                a ->
                                                        a.getStatus().getObservedGeneration()
                                                                == a.getGeneration()));
        List<App> appsBefore =
                admin.apps().listApps(ListAppsRequest.getDefaultInstance()).getAppsList();
        List<Tenant> tenantsBefore =
                admin.tenants()
                        .listTenants(ListTenantsRequest.getDefaultInstance())
                        .getTenantsList();
        List<Cluster> clustersBefore =
                admin.clusters()
                        .listClusters(ListClustersRequest.getDefaultInstance())
                        .getClustersList();
        cases().forEach(
                        a -> {
                            try {
                                ((Stubs.Call) ((Named<?>) a.get()[0]).getPayload()).run(admin);
                            } catch (RuntimeException expected) {
                                // every case fails; what matters is what it left
                            }
                        });
        assertThat(admin.apps().listApps(ListAppsRequest.getDefaultInstance()).getAppsList())
                .isEqualTo(appsBefore);
        assertThat(
                        admin.tenants()
                                .listTenants(ListTenantsRequest.getDefaultInstance())
                                .getTenantsList())
                .isEqualTo(tenantsBefore);
        assertThat(
                        admin.clusters()
                                .listClusters(ListClustersRequest.getDefaultInstance())
                                .getClustersList())
                .isEqualTo(clustersBefore);
    }

    @Test
    @DisplayName(
            "a quota is met exactly at its limit and refused one replica over, naming used, requested and limit")
    void quotaEdge() {
        admin.tenants().createTenant(tenant(aTenant("edge", 100000, 100000, 5)));
        admin.apps().createApp(CreateAppRequest.newBuilder().setApp(anApp("edge", "a", 3)).build());
        App b =
                admin.apps()
                        .createApp(
                                CreateAppRequest.newBuilder()
                                        .setApp(anApp("edge", "b", 2))
                                        .build());
        assertThat(b.getSpec().getReplicas()).isEqualTo(2);
        assertThatThrownBy(
                        () ->
                                admin.apps()
                                        .scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("edge")
                                                        .setName("b")
                                                        .setReplicas(3)
                                                        .build()))
                .satisfies(
                        e -> {
                            assertThat(Status.fromThrowable(e).getCode())
                                    .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                            assertThat(Status.fromThrowable(e).getDescription())
                                    .contains("used 3", "requested 3", "limit 5");
                        });
    }

    private static BadRequest unpack(com.google.protobuf.Any any) {
        try {
            return any.unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
