package dev.fedplane.agent.netpol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.agent.netpol.NetworkPolicyEvaluator.External;
import dev.fedplane.agent.netpol.NetworkPolicyEvaluator.Pod;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NetworkPolicyEvaluatorTest {

    private static final Map<String, Map<String, String>> NAMESPACES =
            Map.of(
                    "a",
                    Map.of("team", "a"),
                    "b",
                    Map.of("team", "b"),
                    "c",
                    Map.of("team", "c", "env", "prod"));
    private static final Pod A_WEB = new Pod("a", "web-1", Map.of("app", "web"), "10.244.0.10");
    private static final Pod A_DB = new Pod("a", "db-1", Map.of("app", "db"), "10.244.0.11");
    private static final Pod B_WEB = new Pod("b", "web-1", Map.of("app", "web"), "10.244.1.10");
    private static final Pod C_API = new Pod("c", "api-1", Map.of("app", "api"), "10.244.2.10");

    private static NetworkPolicyEvaluator evaluator(NetworkPolicy... policies) {
        return new NetworkPolicyEvaluator(List.of(policies), NAMESPACES);
    }

    private static LabelSelector labels(String key, String value) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(key, value)).build();
    }

    private static NetworkPolicyBuilder policy(
            String namespace, String name, LabelSelector pods, String... types) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withPodSelector(pods)
                .withPolicyTypes(types)
                .endSpec();
    }

    private static NetworkPolicyPort port(String protocol, Integer port, Integer endPort) {
        return new NetworkPolicyPortBuilder()
                .withProtocol(protocol)
                .withPort(port == null ? null : new IntOrString(port))
                .withEndPort(endPort)
                .build();
    }

    @Test
    void without_policies_everything_is_allowed() {
        assertThat(evaluator().allows(A_WEB, B_WEB, 80, "TCP")).isTrue();
        assertThat(evaluator().allows(A_WEB, new External("8.8.8.8"), 443, "TCP")).isTrue();
    }

    @Test
    void an_ingress_policy_with_no_rules_denies_all_ingress_to_the_pods_it_selects_only() {
        NetworkPolicyEvaluator e =
                evaluator(policy("b", "deny", new LabelSelector(), "Ingress").build());

        assertThat(e.allows(A_WEB, B_WEB, 80, "TCP")).isFalse();
        assertThat(e.allows(B_WEB, A_WEB, 80, "TCP")).as("b's egress is not isolated").isTrue();
        assertThat(e.evaluate(A_WEB, B_WEB, 80, "TCP").reason()).contains("isolated by [deny]");
    }

    @Test
    void a_policy_selecting_other_pods_does_not_isolate_a_pod() {
        NetworkPolicyEvaluator e =
                evaluator(policy("a", "deny-db", labels("app", "db"), "Ingress").build());

        assertThat(e.allows(B_WEB, A_DB, 5432, "TCP")).isFalse();
        assertThat(e.allows(B_WEB, A_WEB, 80, "TCP")).isTrue();
    }

    @Test
    void policies_are_additive_any_matching_rule_of_any_selecting_policy_allows() {
        NetworkPolicyEvaluator e =
                evaluator(
                        policy("a", "deny", new LabelSelector(), "Ingress").build(),
                        policy("a", "allow-b", labels("app", "web"), "Ingress")
                                .editSpec()
                                .addNewIngress()
                                .withFrom(
                                        new NetworkPolicyPeerBuilder()
                                                .withNamespaceSelector(labels("team", "b"))
                                                .build())
                                .endIngress()
                                .endSpec()
                                .build());

        assertThat(e.allows(B_WEB, A_WEB, 80, "TCP")).isTrue();
        assertThat(e.allows(B_WEB, A_DB, 80, "TCP")).isFalse();
        assertThat(e.allows(C_API, A_WEB, 80, "TCP")).isFalse();
    }

    @Test
    void a_pod_selector_alone_means_pods_of_the_policys_own_namespace() {
        NetworkPolicyEvaluator e =
                evaluator(
                        policy("a", "same-ns", new LabelSelector(), "Ingress")
                                .editSpec()
                                .addNewIngress()
                                .withFrom(
                                        new NetworkPolicyPeerBuilder()
                                                .withPodSelector(new LabelSelector())
                                                .build())
                                .endIngress()
                                .endSpec()
                                .build());

        assertThat(e.allows(A_WEB, A_DB, 5432, "TCP")).isTrue();
        assertThat(e.allows(B_WEB, A_DB, 5432, "TCP")).isFalse();
    }

    @Test
    void
            namespace_and_pod_selectors_in_one_peer_both_must_match_but_separate_peers_are_alternatives() {
        NetworkPolicyPeer both =
                new NetworkPolicyPeerBuilder()
                        .withNamespaceSelector(labels("team", "c"))
                        .withPodSelector(labels("app", "web"))
                        .build();
        NetworkPolicyEvaluator anded =
                evaluator(
                        policy("a", "p", new LabelSelector(), "Ingress")
                                .editSpec()
                                .addNewIngress()
                                .withFrom(both)
                                .endIngress()
                                .endSpec()
                                .build());
        NetworkPolicyEvaluator ored =
                evaluator(
                        policy("a", "p", new LabelSelector(), "Ingress")
                                .editSpec()
                                .addNewIngress()
                                .withFrom(
                                        new NetworkPolicyPeerBuilder()
                                                .withNamespaceSelector(labels("team", "c"))
                                                .build(),
                                        new NetworkPolicyPeerBuilder()
                                                .withPodSelector(labels("app", "web"))
                                                .build())
                                .endIngress()
                                .endSpec()
                                .build());

        assertThat(anded.allows(C_API, A_DB, 1, "TCP")).as("c's api is not web").isFalse();
        assertThat(ored.allows(C_API, A_DB, 1, "TCP")).as("any pod of c").isTrue();
        assertThat(ored.allows(A_WEB, A_DB, 1, "TCP")).as("web of a's own namespace").isTrue();
        assertThat(ored.allows(B_WEB, A_DB, 1, "TCP"))
                .as("web of b matches neither peer")
                .isFalse();
    }

    @Test
    void match_expressions_follow_kubernetes_operators() {
        LabelSelector prodNotB =
                new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("env")
                        .withOperator("Exists")
                        .endMatchExpression()
                        .addNewMatchExpression()
                        .withKey("team")
                        .withOperator("NotIn")
                        .withValues("b")
                        .endMatchExpression()
                        .build();
        NetworkPolicyEvaluator e =
                evaluator(
                        policy("a", "p", new LabelSelector(), "Ingress")
                                .editSpec()
                                .addNewIngress()
                                .withFrom(
                                        new NetworkPolicyPeerBuilder()
                                                .withNamespaceSelector(prodNotB)
                                                .build())
                                .endIngress()
                                .endSpec()
                                .build());

        assertThat(e.allows(C_API, A_WEB, 80, "TCP")).isTrue();
        assertThat(e.allows(B_WEB, A_WEB, 80, "TCP")).isFalse();
        assertThat(
                        NetworkPolicyEvaluator.selects(
                                new LabelSelectorBuilder()
                                        .addNewMatchExpression()
                                        .withKey("app")
                                        .withOperator("In")
                                        .withValues("web", "api")
                                        .endMatchExpression()
                                        .build(),
                                Map.of("app", "api")))
                .isTrue();
        assertThat(
                        NetworkPolicyEvaluator.selects(
                                new LabelSelectorBuilder()
                                        .addNewMatchExpression()
                                        .withKey("app")
                                        .withOperator("DoesNotExist")
                                        .endMatchExpression()
                                        .build(),
                                Map.of("app", "api")))
                .isFalse();
    }

    @Test
    void egress_isolation_allows_only_listed_ip_blocks_minus_their_exceptions() {
        NetworkPolicyEvaluator e =
                evaluator(
                        policy("a", "egress", new LabelSelector(), "Egress")
                                .editSpec()
                                .addNewEgress()
                                .withTo(
                                        new NetworkPolicyPeerBuilder()
                                                .withNewIpBlock()
                                                .withCidr("10.0.0.0/16")
                                                .withExcept("10.0.5.0/24")
                                                .endIpBlock()
                                                .build())
                                .endEgress()
                                .endSpec()
                                .build());

        assertThat(e.allows(A_WEB, new External("10.0.4.9"), 443, "TCP")).isTrue();
        assertThat(e.allows(A_WEB, new External("10.0.5.9"), 443, "TCP")).isFalse();
        assertThat(e.allows(A_WEB, new External("10.1.0.1"), 443, "TCP")).isFalse();
        assertThat(e.allows(A_WEB, B_WEB, 80, "TCP")).as("pod address outside the block").isFalse();
        assertThat(e.allows(B_WEB, A_WEB, 80, "TCP"))
                .as("a's ingress is not isolated by an Egress-only policy")
                .isTrue();
    }

    @ParameterizedTest(name = "{0}/{1} is {2}")
    @CsvSource({
        "TCP, 5978, allowed",
        "TCP, 5977, denied",
        "UDP, 5978, denied",
        "UDP, 53, allowed",
        "TCP, 8000, allowed",
        "TCP, 8010, allowed",
        "TCP, 8011, denied",
        "SCTP, 9, allowed",
    })
    void ports_match_by_protocol_port_and_range(String protocol, int port, String expected) {
        NetworkPolicyEvaluator e =
                evaluator(
                        policy("a", "egress", new LabelSelector(), "Egress")
                                .editSpec()
                                .addNewEgress()
                                .withPorts(
                                        port("TCP", 5978, null),
                                        port("UDP", 53, null),
                                        port(null, 8000, 8010),
                                        port("SCTP", null, null))
                                .endEgress()
                                .endSpec()
                                .build());

        assertThat(e.allows(A_WEB, new External("192.0.2.1"), port, protocol))
                .isEqualTo(expected.equals("allowed"));
    }

    @Test
    void without_policy_types_a_policy_isolates_ingress_and_egress_only_when_it_has_egress_rules() {
        NetworkPolicy ingressOnly =
                new NetworkPolicyBuilder()
                        .withNewMetadata()
                        .withNamespace("a")
                        .withName("p")
                        .endMetadata()
                        .withNewSpec()
                        .withPodSelector(new LabelSelector())
                        .endSpec()
                        .build();
        NetworkPolicy withEgress =
                new NetworkPolicyBuilder(ingressOnly)
                        .editSpec()
                        .addNewEgress()
                        .withTo(
                                new NetworkPolicyPeerBuilder()
                                        .withNewIpBlock()
                                        .withCidr("10.0.0.0/8")
                                        .endIpBlock()
                                        .build())
                        .endEgress()
                        .endSpec()
                        .build();

        assertThat(evaluator(ingressOnly).allows(B_WEB, A_WEB, 80, "TCP")).isFalse();
        assertThat(evaluator(ingressOnly).allows(A_WEB, new External("8.8.8.8"), 53, "UDP"))
                .isTrue();
        assertThat(evaluator(withEgress).allows(A_WEB, new External("8.8.8.8"), 53, "UDP"))
                .isFalse();
    }

    @Test
    void pod_to_pod_traffic_needs_the_sources_egress_and_the_destinations_ingress() {
        NetworkPolicy aEgressToB =
                policy("a", "to-b", new LabelSelector(), "Egress")
                        .editSpec()
                        .addNewEgress()
                        .withTo(
                                new NetworkPolicyPeerBuilder()
                                        .withNamespaceSelector(labels("team", "b"))
                                        .build())
                        .endEgress()
                        .endSpec()
                        .build();
        NetworkPolicy bDenyIngress = policy("b", "deny", new LabelSelector(), "Ingress").build();
        NetworkPolicy bAllowA =
                policy("b", "allow-a", new LabelSelector(), "Ingress")
                        .editSpec()
                        .addNewIngress()
                        .withFrom(
                                new NetworkPolicyPeerBuilder()
                                        .withNamespaceSelector(labels("team", "a"))
                                        .build())
                        .endIngress()
                        .endSpec()
                        .build();

        assertThat(evaluator(aEgressToB).allows(A_WEB, B_WEB, 80, "TCP")).isTrue();
        assertThat(evaluator(aEgressToB, bDenyIngress).allows(A_WEB, B_WEB, 80, "TCP")).isFalse();
        assertThat(evaluator(aEgressToB, bDenyIngress, bAllowA).allows(A_WEB, B_WEB, 80, "TCP"))
                .isTrue();
        assertThat(evaluator(bDenyIngress, bAllowA).allows(A_WEB, B_WEB, 80, "TCP")).isTrue();
        assertThat(evaluator(aEgressToB, bAllowA).allows(A_WEB, C_API, 80, "TCP"))
                .as("a's egress only reaches b")
                .isFalse();
    }

    @Test
    void cidrs_match_by_prefix_for_ipv4_and_ipv6_and_never_across_families() {
        assertThat(NetworkPolicyEvaluator.inCidr("10.0.32.5", "10.0.32.0/24")).isTrue();
        assertThat(NetworkPolicyEvaluator.inCidr("10.0.33.5", "10.0.32.0/24")).isFalse();
        assertThat(NetworkPolicyEvaluator.inCidr("10.0.33.5", "10.0.32.0/23")).isTrue();
        assertThat(NetworkPolicyEvaluator.inCidr("203.0.113.9", "0.0.0.0/0")).isTrue();
        assertThat(NetworkPolicyEvaluator.inCidr("10.0.32.5", "10.0.32.5/32")).isTrue();
        assertThat(NetworkPolicyEvaluator.inCidr("2001:db8::1", "2001:db8::/32")).isTrue();
        assertThat(NetworkPolicyEvaluator.inCidr("2001:db9::1", "2001:db8::/32")).isFalse();
        assertThat(NetworkPolicyEvaluator.inCidr("10.0.32.5", "::/0")).isFalse();
    }

    @Test
    void named_ports_are_refused_rather_than_guessed() {
        NetworkPolicyEvaluator e =
                evaluator(
                        policy("a", "p", new LabelSelector(), "Egress")
                                .editSpec()
                                .addNewEgress()
                                .withPorts(
                                        new NetworkPolicyPortBuilder()
                                                .withPort(new IntOrString("http"))
                                                .build())
                                .endEgress()
                                .endSpec()
                                .build());

        assertThatThrownBy(() -> e.allows(A_WEB, B_WEB, 80, "TCP"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
