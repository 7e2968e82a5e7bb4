package dev.fedplane.agent.apply;

import static dev.fedplane.agent.testing.Fixtures.aNamespaceSpec;
import static dev.fedplane.agent.testing.Fixtures.aWorkloadSpec;
import static dev.fedplane.agent.testing.Fixtures.egress;
import static dev.fedplane.agent.testing.Fixtures.mayBeReachedBy;
import static dev.fedplane.agent.testing.Fixtures.mayReach;
import static dev.fedplane.agent.testing.Fixtures.network;
import static dev.fedplane.agent.testing.Fixtures.quota;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.sim.SimulatedCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The ResourceQuota and NetworkPolicies the applier writes, read back from the CRUD mock API
 * server.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TenantIsolationApplyTest {

    private static final Map<String, String> MANAGED_SHOP =
            Map.of("fedplane.dev/managed-by", "fedplane", "fedplane.dev/tenant", "shop");

    private KubernetesMockServer server;
    private KubernetesClient client;
    private DesiredStateApplier applier;

    @BeforeEach
    void startApiServer() {
        server = SimulatedCluster.newCrudServer();
        client = server.createClient();
        applier = new DesiredStateApplier(client);
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        server.destroy();
    }

    private void applyFull(NamespaceSpec... namespaces) {
        ApplyResult result = applier.apply(new DesiredChange.Full(List.of(namespaces), List.of()));
        assertThat(result.success()).as(result.summary()).isTrue();
    }

    private NetworkPolicy policy(String namespace, String name) {
        return client.network().v1().networkPolicies().inNamespace(namespace).withName(name).get();
    }

    private List<String> policyNames(String namespace) {
        return client
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .list()
                .getItems()
                .stream()
                .map(p -> p.getMetadata().getName())
                .sorted()
                .toList();
    }

    private static LabelSelector tenantSelector(String tenant) {
        return new LabelSelector(List.of(), Map.of("fedplane.dev/tenant", tenant));
    }

    private static LabelSelector appSelector(String app) {
        return new LabelSelector(List.of(), Map.of("fedplane.dev/app", app));
    }

    private static void assertPort(NetworkPolicyPort port, String protocol, Integer number) {
        assertThat(port.getProtocol()).isEqualTo(protocol);
        assertThat(port.getPort()).isEqualTo(number == null ? null : new IntOrString(number));
        assertThat(port.getEndPort()).isNull();
    }

    private static boolean isEmpty(LabelSelector s) {
        return s != null
                && (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
    }

    @Test
    void
            a_tenant_with_a_quota_gets_a_resource_quota_with_requests_and_limits_of_cpu_and_memory_and_a_pod_count() {
        applyFull(aNamespaceSpec("shop", quota(4000, 8192, 20), NamespaceSpec.NetworkSpec.NONE));

        ResourceQuota q =
                client.resourceQuotas().inNamespace("shop").withName("fedplane-quota").get();
        assertThat(q.getMetadata().getLabels()).isEqualTo(MANAGED_SHOP);
        assertThat(q.getSpec().getHard())
                .containsOnlyKeys(
                        "requests.cpu", "limits.cpu", "requests.memory", "limits.memory", "pods");
        assertThat(q.getSpec().getHard().get("requests.cpu")).isEqualTo(new Quantity("4000m"));
        assertThat(q.getSpec().getHard().get("limits.cpu")).isEqualTo(new Quantity("4000m"));
        assertThat(q.getSpec().getHard().get("requests.memory")).isEqualTo(new Quantity("8192Mi"));
        assertThat(q.getSpec().getHard().get("limits.memory")).isEqualTo(new Quantity("8192Mi"));
        assertThat(q.getSpec().getHard().get("pods")).isEqualTo(new Quantity("20"));
        assertThat(q.getSpec().getScopes()).isNullOrEmpty();
    }

    @Test
    void a_quota_field_of_zero_sets_no_limit_for_it() {
        applyFull(aNamespaceSpec("shop", quota(0, 0, 7), NamespaceSpec.NetworkSpec.NONE));

        assertThat(
                        client.resourceQuotas()
                                .inNamespace("shop")
                                .withName("fedplane-quota")
                                .get()
                                .getSpec()
                                .getHard())
                .isEqualTo(Map.of("pods", new Quantity("7")));
    }

    @Test
    void
            a_quota_dropped_from_the_desired_state_removes_the_managed_resource_quota_and_keeps_unmanaged_ones() {
        applyFull(aNamespaceSpec("shop", quota(4000, 8192, 20), NamespaceSpec.NetworkSpec.NONE));
        client.resourceQuotas()
                .inNamespace("shop")
                .resource(
                        new ResourceQuotaBuilder()
                                .withNewMetadata()
                                .withName("admin-quota")
                                .endMetadata()
                                .withNewSpec()
                                .addToHard("pods", new Quantity("100"))
                                .endSpec()
                                .build())
                .create();

        applyFull(aNamespaceSpec("shop"));

        assertThat(client.resourceQuotas().inNamespace("shop").list().getItems())
                .extracting(r -> r.getMetadata().getName())
                .containsExactly("admin-quota");
    }

    @Test
    void a_changed_quota_updates_the_resource_quota_and_an_unchanged_one_is_not_written() {
        applyFull(aNamespaceSpec("shop", quota(4000, 8192, 20), NamespaceSpec.NetworkSpec.NONE));
        String version =
                client.resourceQuotas()
                        .inNamespace("shop")
                        .withName("fedplane-quota")
                        .get()
                        .getMetadata()
                        .getResourceVersion();

        applyFull(aNamespaceSpec("shop", quota(4000, 8192, 20), NamespaceSpec.NetworkSpec.NONE));
        assertThat(
                        client.resourceQuotas()
                                .inNamespace("shop")
                                .withName("fedplane-quota")
                                .get()
                                .getMetadata()
                                .getResourceVersion())
                .isEqualTo(version);

        applyFull(aNamespaceSpec("shop", quota(6000, 8192, 20), NamespaceSpec.NetworkSpec.NONE));
        assertThat(
                        client.resourceQuotas()
                                .inNamespace("shop")
                                .withName("fedplane-quota")
                                .get()
                                .getSpec()
                                .getHard()
                                .get("limits.cpu"))
                .isEqualTo(new Quantity("6000m"));
    }

    @Test
    void every_tenant_gets_an_isolation_policy_admitting_ingress_only_from_its_own_namespaces() {
        applyFull(aNamespaceSpec("shop"));

        assertThat(policyNames("shop")).containsExactly("fedplane-isolation");
        NetworkPolicy p = policy("shop", "fedplane-isolation");
        assertThat(p.getMetadata().getLabels()).isEqualTo(MANAGED_SHOP);
        assertThat(isEmpty(p.getSpec().getPodSelector())).as("selects every pod").isTrue();
        assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(p.getSpec().getEgress()).isNullOrEmpty();
        assertThat(p.getSpec().getIngress())
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getPorts()).isNullOrEmpty();
                            assertThat(rule.getFrom()).hasSize(2);
                            NetworkPolicyPeer tenantNamespaces = rule.getFrom().get(0);
                            assertThat(tenantNamespaces.getNamespaceSelector())
                                    .isEqualTo(tenantSelector("shop"));
                            assertThat(tenantNamespaces.getPodSelector()).isNull();
                            assertThat(tenantNamespaces.getIpBlock()).isNull();
                            NetworkPolicyPeer sameNamespace = rule.getFrom().get(1);
                            assertThat(sameNamespace.getNamespaceSelector()).isNull();
                            assertThat(isEmpty(sameNamespace.getPodSelector())).isTrue();
                        });
    }

    @Test
    void
            a_tenant_with_an_egress_list_gets_an_egress_policy_allowing_only_its_cidrs_dns_its_own_namespaces_and_agreed_peers() {
        applyFull(
                aNamespaceSpec(
                        "shop",
                        NamespaceSpec.QuotaSpec.NONE,
                        network(
                                List.of(
                                        egress("10.0.32.0/24", 5978, "TCP"),
                                        egress("192.0.2.0/24", 0, ""),
                                        egress("198.51.100.7/32", 514, "udp")),
                                mayReach("billing", "api", 8443))));

        assertThat(policyNames("shop")).containsExactly("fedplane-egress", "fedplane-isolation");
        NetworkPolicy p = policy("shop", "fedplane-egress");
        assertThat(p.getMetadata().getLabels()).isEqualTo(MANAGED_SHOP);
        assertThat(isEmpty(p.getSpec().getPodSelector())).isTrue();
        assertThat(p.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(p.getSpec().getIngress()).isNullOrEmpty();
        List<NetworkPolicyEgressRule> rules = p.getSpec().getEgress();
        assertThat(rules).hasSize(6);

        assertThat(rules.get(0).getTo())
                .singleElement()
                .satisfies(
                        peer -> {
                            assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.0.32.0/24");
                            assertThat(peer.getIpBlock().getExcept()).isNullOrEmpty();
                            assertThat(peer.getNamespaceSelector()).isNull();
                            assertThat(peer.getPodSelector()).isNull();
                        });
        assertThat(rules.get(0).getPorts())
                .singleElement()
                .satisfies(port -> assertPort(port, "TCP", 5978));

        assertThat(rules.get(1).getTo())
                .singleElement()
                .satisfies(
                        peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("192.0.2.0/24"));
        assertThat(rules.get(1).getPorts())
                .as("port 0 and no protocol: every port and protocol")
                .isNullOrEmpty();

        assertThat(rules.get(2).getTo())
                .singleElement()
                .satisfies(
                        peer ->
                                assertThat(peer.getIpBlock().getCidr())
                                        .isEqualTo("198.51.100.7/32"));
        assertThat(rules.get(2).getPorts())
                .singleElement()
                .satisfies(port -> assertPort(port, "UDP", 514));

        // DNS: UDP and TCP 53 to pods of any namespace
        assertThat(rules.get(3).getTo())
                .singleElement()
                .satisfies(
                        peer -> {
                            assertThat(isEmpty(peer.getNamespaceSelector())).isTrue();
                            assertThat(peer.getPodSelector()).isNull();
                            assertThat(peer.getIpBlock()).isNull();
                        });
        assertThat(rules.get(3).getPorts()).hasSize(2);
        assertPort(rules.get(3).getPorts().get(0), "UDP", 53);
        assertPort(rules.get(3).getPorts().get(1), "TCP", 53);

        // the tenant's own namespaces (and this one), every port
        assertThat(rules.get(4).getPorts()).isNullOrEmpty();
        assertThat(rules.get(4).getTo()).hasSize(2);
        assertThat(rules.get(4).getTo().get(0).getNamespaceSelector())
                .isEqualTo(tenantSelector("shop"));
        assertThat(rules.get(4).getTo().get(0).getPodSelector()).isNull();
        assertThat(isEmpty(rules.get(4).getTo().get(1).getPodSelector())).isTrue();
        assertThat(rules.get(4).getTo().get(1).getNamespaceSelector()).isNull();

        // the agreed cross-tenant target: billing's api on TCP 8443
        assertThat(rules.get(5).getTo())
                .singleElement()
                .satisfies(
                        peer -> {
                            assertThat(peer.getNamespaceSelector())
                                    .isEqualTo(tenantSelector("billing"));
                            assertThat(peer.getPodSelector()).isEqualTo(appSelector("api"));
                            assertThat(peer.getIpBlock()).isNull();
                        });
        assertThat(rules.get(5).getPorts())
                .singleElement()
                .satisfies(port -> assertPort(port, "TCP", 8443));
    }

    @Test
    void without_an_egress_list_there_is_no_egress_policy_even_with_cross_tenant_egress_rules() {
        applyFull(
                aNamespaceSpec(
                        "shop",
                        NamespaceSpec.QuotaSpec.NONE,
                        network(List.of(), mayReach("billing", "api", 8443))));

        assertThat(policyNames("shop")).containsExactly("fedplane-isolation");
    }

    @Test
    void each_agreed_ingress_rule_gets_a_policy_admitting_the_peer_tenant_to_the_app_on_its_port() {
        applyFull(
                aNamespaceSpec(
                        "billing",
                        NamespaceSpec.QuotaSpec.NONE,
                        network(
                                List.of(),
                                mayBeReachedBy("shop", "api", 8443),
                                mayBeReachedBy("shop", "api", 8443),
                                mayBeReachedBy("ops", "api", 9090))));

        assertThat(policyNames("billing"))
                .containsExactly(
                        "fedplane-allow-ops-api-9090",
                        "fedplane-allow-shop-api-8443",
                        "fedplane-isolation");
        NetworkPolicy p = policy("billing", "fedplane-allow-shop-api-8443");
        assertThat(p.getMetadata().getLabels())
                .isEqualTo(
                        Map.of(
                                "fedplane.dev/managed-by",
                                "fedplane",
                                "fedplane.dev/tenant",
                                "billing"));
        assertThat(p.getSpec().getPodSelector()).isEqualTo(appSelector("api"));
        assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(p.getSpec().getEgress()).isNullOrEmpty();
        assertThat(p.getSpec().getIngress())
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getFrom())
                                    .singleElement()
                                    .satisfies(
                                            peer -> {
                                                assertThat(peer.getNamespaceSelector())
                                                        .isEqualTo(tenantSelector("shop"));
                                                assertThat(peer.getPodSelector()).isNull();
                                                assertThat(peer.getIpBlock()).isNull();
                                            });
                            assertThat(rule.getPorts())
                                    .singleElement()
                                    .satisfies(port -> assertPort(port, "TCP", 8443));
                        });
    }

    @Test
    void an_allow_policy_name_longer_than_63_characters_is_cut_and_suffixed_with_a_hash() {
        String peer = "a-tenant-with-a-rather-long-name-for-a-tenant";
        String name = TenantIsolation.allowPolicyName(peer, "an-app-with-a-long-name", 8443);
        String other = TenantIsolation.allowPolicyName(peer, "an-app-with-a-long-name", 8444);

        assertThat(name)
                .hasSizeLessThanOrEqualTo(63)
                .startsWith("fedplane-allow-a-tenant-with")
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(other).hasSizeLessThanOrEqualTo(63).isNotEqualTo(name);
        assertThat(TenantIsolation.allowPolicyName("shop", "api", 8443))
                .isEqualTo("fedplane-allow-shop-api-8443");
    }

    @Test
    void
            a_namespace_upserted_with_other_rules_loses_the_managed_policies_no_longer_desired_and_keeps_unmanaged_ones() {
        applyFull(
                aNamespaceSpec(
                        "billing",
                        quota(1000, 1024, 10),
                        network(
                                List.of(egress("10.0.32.0/24", 5978, "TCP")),
                                mayBeReachedBy("shop", "api", 8443))));
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace("billing")
                .resource(
                        new NetworkPolicyBuilder()
                                .withNewMetadata()
                                .withName("admins-own")
                                .endMetadata()
                                .withNewSpec()
                                .withPodSelector(new LabelSelector())
                                .withPolicyTypes("Ingress")
                                .endSpec()
                                .build())
                .create();

        ApplyResult result =
                applier.apply(
                        new DesiredChange.Delta(
                                List.of(
                                        aNamespaceSpec(
                                                "billing",
                                                NamespaceSpec.QuotaSpec.NONE,
                                                network(
                                                        List.of(),
                                                        mayBeReachedBy("ops", "api", 9090)))),
                                List.of(),
                                List.of(),
                                List.of()));

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(policyNames("billing"))
                .containsExactly("admins-own", "fedplane-allow-ops-api-9090", "fedplane-isolation");
        assertThat(client.resourceQuotas().inNamespace("billing").list().getItems()).isEmpty();
        assertThat(result.driftCorrections()).as("intended changes are not drift").isEmpty();
    }

    @Test
    void
            removing_a_namespace_removes_its_managed_policies_and_quota_even_when_the_namespace_itself_is_not_managed() {
        client.namespaces()
                .resource(
                        new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                                .withNewMetadata()
                                .withName("legacy")
                                .endMetadata()
                                .build())
                .create();
        applyFull(
                aNamespaceSpec(
                        "legacy",
                        quota(1000, 1024, 10),
                        network(List.of(egress("10.0.32.0/24", 5978, "TCP")))));
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace("legacy")
                .resource(
                        new NetworkPolicyBuilder()
                                .withNewMetadata()
                                .withName("admins-own")
                                .endMetadata()
                                .withNewSpec()
                                .withPodSelector(new LabelSelector())
                                .withPolicyTypes("Ingress")
                                .endSpec()
                                .build())
                .create();
        assertThat(policyNames("legacy"))
                .containsExactly("admins-own", "fedplane-egress", "fedplane-isolation");

        ApplyResult result =
                applier.apply(
                        new DesiredChange.Delta(
                                List.of(), List.of("legacy"), List.of(), List.of()));

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(client.namespaces().withName("legacy").get()).isNotNull();
        assertThat(policyNames("legacy")).containsExactly("admins-own");
        assertThat(client.resourceQuotas().inNamespace("legacy").list().getItems()).isEmpty();
    }

    @Test
    void a_full_state_without_a_tenant_removes_its_namespace_policies_and_quota() {
        applyFull(
                aNamespaceSpec("shop", quota(1000, 1024, 10), NamespaceSpec.NetworkSpec.NONE),
                aNamespaceSpec("blog"));

        applyFull(aNamespaceSpec("blog"));

        assertThat(client.namespaces().withName("shop").get()).isNull();
        assertThat(client.network().v1().networkPolicies().inAnyNamespace().list().getItems())
                .extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .containsExactly("blog/fedplane-isolation");
        assertThat(client.resourceQuotas().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void an_unmanaged_policy_with_a_managed_name_is_left_alone_and_reported() {
        client.namespaces()
                .resource(
                        new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                                .withNewMetadata()
                                .withName("shop")
                                .endMetadata()
                                .build())
                .create();
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace("shop")
                .resource(
                        new NetworkPolicyBuilder()
                                .withNewMetadata()
                                .withName("fedplane-isolation")
                                .endMetadata()
                                .withNewSpec()
                                .withPodSelector(new LabelSelector())
                                .withPolicyTypes("Egress")
                                .endSpec()
                                .build())
                .create();

        ApplyResult result =
                applier.apply(new DesiredChange.Full(List.of(aNamespaceSpec("shop")), List.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.summary()).contains("unmanaged NetworkPolicy shop/fedplane-isolation");
        assertThat(policy("shop", "fedplane-isolation").getSpec().getPolicyTypes())
                .containsExactly("Egress");
    }

    @Test
    void the_deployments_pods_carry_the_tenant_and_app_labels_the_policies_select_on() {
        applier.apply(
                new DesiredChange.Full(
                        List.of(aNamespaceSpec("shop")), List.of(aWorkloadSpec("shop", "web", 1))));

        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("shop")
                                .withName("web")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getLabels())
                .containsEntry("fedplane.dev/tenant", "shop")
                .containsEntry("fedplane.dev/app", "web");
    }

    @Test
    void
            a_resync_reports_each_policy_and_quota_it_recreates_restores_or_removes_and_nothing_when_all_is_in_place() {
        NamespaceSpec shop =
                aNamespaceSpec(
                        "shop",
                        quota(4000, 8192, 20),
                        network(List.of(egress("10.0.32.0/24", 5978, "TCP"))));
        DesiredChange.Full full = new DesiredChange.Full(List.of(shop), List.of());
        assertThat(applier.apply(full).driftCorrections()).isEmpty();
        assertThat(applier.resync(full).driftCorrections()).isEmpty();

        client.network()
                .v1()
                .networkPolicies()
                .inNamespace("shop")
                .withName("fedplane-egress")
                .delete();
        NetworkPolicy isolation = policy("shop", "fedplane-isolation");
        isolation
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom()
                .get(0)
                .setNamespaceSelector(tenantSelector("intruder"));
        client.network().v1().networkPolicies().inNamespace("shop").resource(isolation).update();
        ResourceQuota q =
                client.resourceQuotas().inNamespace("shop").withName("fedplane-quota").get();
        q.getSpec().getHard().put("pods", new Quantity("500"));
        client.resourceQuotas().inNamespace("shop").resource(q).update();
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace("shop")
                .resource(
                        new NetworkPolicyBuilder()
                                .withNewMetadata()
                                .withName("fedplane-allow-stray-web-80")
                                .withLabels(MANAGED_SHOP)
                                .endMetadata()
                                .withNewSpec()
                                .withPodSelector(new LabelSelector())
                                .withPolicyTypes("Ingress")
                                .endSpec()
                                .build())
                .create();

        ApplyResult result = applier.resync(full);

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(result.driftCorrections())
                .extracting(c -> c.kind() + " " + c.name() + " " + c.what())
                .containsExactlyInAnyOrder(
                        "NetworkPolicy fedplane-egress RECREATED",
                        "NetworkPolicy fedplane-isolation RESTORED",
                        "ResourceQuota fedplane-quota RESTORED",
                        "NetworkPolicy fedplane-allow-stray-web-80 REMOVED");
        assertThat(result.driftCorrections())
                .allSatisfy(
                        c -> {
                            assertThat(c.namespace()).isEqualTo("shop");
                            assertThat(c.apiVersion()).isIn("networking.k8s.io/v1", "v1");
                        });
        assertThat(policyNames("shop")).containsExactly("fedplane-egress", "fedplane-isolation");
        assertThat(
                        policy("shop", "fedplane-isolation")
                                .getSpec()
                                .getIngress()
                                .get(0)
                                .getFrom()
                                .get(0)
                                .getNamespaceSelector())
                .isEqualTo(tenantSelector("shop"));
        assertThat(
                        client.resourceQuotas()
                                .inNamespace("shop")
                                .withName("fedplane-quota")
                                .get()
                                .getSpec()
                                .getHard()
                                .get("pods"))
                .isEqualTo(new Quantity("20"));
        assertThat(applier.resync(full).driftCorrections()).isEmpty();
    }
}
