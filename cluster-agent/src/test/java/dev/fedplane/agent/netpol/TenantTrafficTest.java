package dev.fedplane.agent.netpol;

import static dev.fedplane.agent.testing.Fixtures.aNamespaceSpec;
import static dev.fedplane.agent.testing.Fixtures.aWorkloadSpec;
import static dev.fedplane.agent.testing.Fixtures.egress;
import static dev.fedplane.agent.testing.Fixtures.mayBeReachedBy;
import static dev.fedplane.agent.testing.Fixtures.mayReach;
import static dev.fedplane.agent.testing.Fixtures.network;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.apply.ApplyResult;
import dev.fedplane.agent.apply.DesiredChange;
import dev.fedplane.agent.apply.DesiredStateApplier;
import dev.fedplane.agent.apply.NamespaceSpec;
import dev.fedplane.agent.apply.WorkloadSpec;
import dev.fedplane.agent.netpol.NetworkPolicyEvaluator.External;
import dev.fedplane.agent.netpol.NetworkPolicyEvaluator.Pod;
import dev.fedplane.agent.sim.SimulatedCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Which traffic the policies the agent actually wrote allow: the desired state is applied to the
 * CRUD mock API server, policies, namespaces and the Deployments' pod labels are read back, and the
 * {@link NetworkPolicyEvaluator} decides.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TenantTrafficTest {

    private static final List<NamespaceSpec.EgressRule> DATABASE_ONLY =
            List.of(egress("10.0.32.0/24", 5978, "TCP"));

    private KubernetesMockServer server;
    private KubernetesClient client;
    private DesiredStateApplier applier;

    @BeforeEach
    void startApiServer() {
        server = SimulatedCluster.newCrudServer();
        client = server.createClient();
        applier = new DesiredStateApplier(client);
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("kube-system")
                                .addToLabels("kubernetes.io/metadata.name", "kube-system")
                                .endMetadata()
                                .build())
                .create();
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        server.destroy();
    }

    /** Tenants a and b, each running web and api; a's network rules and b's as given. */
    private void apply(NamespaceSpec.NetworkSpec a, NamespaceSpec.NetworkSpec b) {
        List<WorkloadSpec> workloads =
                List.of(
                        aWorkloadSpec("a", "web", 1),
                        aWorkloadSpec("a", "api", 1),
                        aWorkloadSpec("b", "web", 1),
                        aWorkloadSpec("b", "api", 1));
        ApplyResult result =
                applier.apply(
                        new DesiredChange.Full(
                                List.of(
                                        aNamespaceSpec("a", NamespaceSpec.QuotaSpec.NONE, a),
                                        aNamespaceSpec("b", NamespaceSpec.QuotaSpec.NONE, b)),
                                workloads));
        assertThat(result.success()).as(result.summary()).isTrue();
    }

    /** The evaluator over what is in the API server now. */
    private NetworkPolicyEvaluator cluster() {
        Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
        client.namespaces()
                .list()
                .getItems()
                .forEach(
                        ns ->
                                namespaces.put(
                                        ns.getMetadata().getName(),
                                        ns.getMetadata().getLabels() == null
                                                ? Map.of()
                                                : ns.getMetadata().getLabels()));
        return new NetworkPolicyEvaluator(
                client.network().v1().networkPolicies().inAnyNamespace().list().getItems(),
                namespaces);
    }

    /** A pod as the Deployment's template labels it (read back from the API server). */
    private Pod pod(String tenant, String app, String ip) {
        Deployment d = client.apps().deployments().inNamespace(tenant).withName(app).get();
        return new Pod(tenant, app + "-1", d.getSpec().getTemplate().getMetadata().getLabels(), ip);
    }

    private Pod aWeb() {
        return pod("a", "web", "10.244.1.10");
    }

    private Pod aApi() {
        return pod("a", "api", "10.244.1.11");
    }

    private Pod bWeb() {
        return pod("b", "web", "10.244.2.10");
    }

    private Pod bApi() {
        return pod("b", "api", "10.244.2.11");
    }

    private static final Pod DNS =
            new Pod("kube-system", "coredns-1", Map.of("k8s-app", "kube-dns"), "10.244.0.2");

    @Test
    void a_pod_of_tenant_a_cannot_reach_a_pod_of_tenant_b_and_the_other_way_round() {
        apply(NamespaceSpec.NetworkSpec.NONE, NamespaceSpec.NetworkSpec.NONE);
        NetworkPolicyEvaluator cluster = cluster();

        assertThat(cluster.evaluate(aWeb(), bApi(), 8080, "TCP").allowed()).isFalse();
        assertThat(cluster.evaluate(bWeb(), aApi(), 8080, "TCP").allowed()).isFalse();
        assertThat(cluster.evaluate(aWeb(), bApi(), 8080, "TCP").reason())
                .contains("ingress at b/api-1", "fedplane-isolation");
    }

    @Test
    void pods_of_one_tenant_reach_each_other_on_any_port_with_or_without_an_egress_list() {
        apply(NamespaceSpec.NetworkSpec.NONE, network(DATABASE_ONLY));
        NetworkPolicyEvaluator cluster = cluster();

        assertThat(cluster.allows(aWeb(), aApi(), 8080, "TCP")).isTrue();
        assertThat(cluster.allows(aApi(), aWeb(), 9999, "UDP")).isTrue();
        assertThat(cluster.allows(bWeb(), bApi(), 8080, "TCP"))
                .as(cluster.evaluate(bWeb(), bApi(), 8080, "TCP").reason())
                .isTrue();
    }

    @Test
    void pods_in_another_namespace_labelled_with_the_tenant_count_as_the_tenants_own() {
        apply(network(DATABASE_ONLY), NamespaceSpec.NetworkSpec.NONE);
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("a-batch")
                                .addToLabels("fedplane.dev/tenant", "a")
                                .endMetadata()
                                .build())
                .create();
        Pod batch = new Pod("a-batch", "job-1", Map.of("fedplane.dev/tenant", "a"), "10.244.3.3");

        assertThat(cluster().allows(batch, aApi(), 8080, "TCP")).isTrue();
        assertThat(cluster().allows(aWeb(), batch, 8080, "TCP")).isTrue();
    }

    @Test
    void an_egress_list_of_one_database_allows_only_that_subnet_and_port_besides_dns() {
        apply(network(DATABASE_ONLY), NamespaceSpec.NetworkSpec.NONE);
        NetworkPolicyEvaluator cluster = cluster();

        assertThat(cluster.allows(aWeb(), new External("10.0.32.5"), 5978, "TCP")).isTrue();
        assertThat(cluster.allows(aWeb(), new External("10.0.33.5"), 5978, "TCP")).isFalse();
        assertThat(cluster.allows(aWeb(), new External("10.0.32.5"), 5979, "TCP")).isFalse();
        assertThat(cluster.allows(aWeb(), new External("10.0.32.5"), 5978, "UDP")).isFalse();
        assertThat(cluster.allows(aWeb(), new External("93.184.216.34"), 443, "TCP")).isFalse();
        assertThat(cluster.allows(bWeb(), new External("93.184.216.34"), 443, "TCP"))
                .as("b has no egress list")
                .isTrue();
    }

    @Test
    void dns_to_the_cluster_resolver_stays_allowed_over_udp_and_tcp_under_an_egress_list() {
        apply(network(DATABASE_ONLY), NamespaceSpec.NetworkSpec.NONE);
        NetworkPolicyEvaluator cluster = cluster();

        assertThat(cluster.allows(aWeb(), DNS, 53, "UDP")).isTrue();
        assertThat(cluster.allows(aWeb(), DNS, 53, "TCP")).isTrue();
        assertThat(cluster.allows(aWeb(), DNS, 54, "UDP")).isFalse();
    }

    @Test
    void a_cross_tenant_allow_agreed_by_both_tenants_lets_a_reach_bs_app_on_that_port_only() {
        apply(
                network(DATABASE_ONLY, mayReach("b", "api", 8443)),
                network(List.of(), mayBeReachedBy("a", "api", 8443)));
        NetworkPolicyEvaluator cluster = cluster();

        assertThat(cluster.evaluate(aWeb(), bApi(), 8443, "TCP").allowed())
                .as(cluster.evaluate(aWeb(), bApi(), 8443, "TCP").reason())
                .isTrue();
        assertThat(cluster.allows(aWeb(), bApi(), 8444, "TCP")).as("another port").isFalse();
        assertThat(cluster.allows(aWeb(), bWeb(), 8443, "TCP")).as("another app of b").isFalse();
        assertThat(cluster.allows(bApi(), aWeb(), 8443, "TCP")).as("not the other way").isFalse();
    }

    @Test
    void a_cross_tenant_allow_from_bs_side_only_is_not_honoured_when_a_has_an_egress_list() {
        apply(network(DATABASE_ONLY), network(List.of(), mayBeReachedBy("a", "api", 8443)));

        NetworkPolicyEvaluator.Verdict verdict = cluster().evaluate(aWeb(), bApi(), 8443, "TCP");
        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).contains("egress at a/web-1", "fedplane-egress");
    }

    @Test
    void a_cross_tenant_allow_from_as_side_only_is_not_honoured() {
        apply(network(DATABASE_ONLY, mayReach("b", "api", 8443)), NamespaceSpec.NetworkSpec.NONE);

        NetworkPolicyEvaluator.Verdict verdict = cluster().evaluate(aWeb(), bApi(), 8443, "TCP");
        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).contains("ingress at b/api-1", "fedplane-isolation");
    }

    @Test
    void a_cross_tenant_allow_from_as_side_only_is_not_honoured_without_an_egress_list_either() {
        apply(network(List.of(), mayReach("b", "api", 8443)), NamespaceSpec.NetworkSpec.NONE);

        assertThat(cluster().allows(aWeb(), bApi(), 8443, "TCP")).isFalse();
    }
}
