package dev.fedplane.agent.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The request parser and the RBAC comparator RbacCoverage relies on, and that it can fail. */
class RbacRulesTest {
    static final Path AGENT_MANIFEST = Path.of("..", "deploy", "manifests", "fedplane-agent.yaml");

    record Parse(String method, String path, String expected) {
        @Override
        public String toString() {
            return method + " " + path + " is " + expected;
        }
    }

    static Stream<Parse> parsed() {
        return Stream.of(
                new Parse("GET", "/api/v1/nodes", "list nodes"),
                new Parse("GET", "/api/v1/pods?labelSelector=x", "list pods"),
                new Parse("GET", "/api/v1/namespaces/shop", "get namespaces in shop named shop"),
                new Parse("POST", "/api/v1/namespaces", "create namespaces"),
                new Parse(
                        "DELETE",
                        "/api/v1/namespaces/shop",
                        "delete namespaces in shop named shop"),
                new Parse(
                        "GET",
                        "/apis/apps/v1/deployments?labelSelector=a%3Db&watch=true&resourceVersion=1",
                        "watch apps/deployments"),
                new Parse(
                        "PUT",
                        "/apis/apps/v1/namespaces/shop/deployments/web",
                        "update apps/deployments in shop named web"),
                new Parse(
                        "PUT",
                        "/apis/apps/v1/namespaces/shop/deployments/web/status",
                        "update apps/deployments/status in shop named web"),
                new Parse(
                        "POST",
                        "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies",
                        "create networking.k8s.io/networkpolicies in shop"),
                new Parse(
                        "DELETE",
                        "/api/v1/namespaces/shop/resourcequotas",
                        "deletecollection resourcequotas in shop"),
                new Parse(
                        "PATCH",
                        "/api/v1/namespaces/fedplane-system/secrets/fedplane-agent-credential",
                        "patch secrets in fedplane-system named fedplane-agent-credential"),
                new Parse("GET", "/version", "get /version"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsed")
    @DisplayName("HTTP requests read as RBAC attributes")
    void parses(Parse p) {
        assertThat(KubeRequest.of(p.method(), p.path()).describe()).isEqualTo(p.expected());
    }

    /** What the agent does in its end-to-end tests, one request of each kind. */
    static final List<KubeRequest> AGENT_REQUESTS =
            List.of(
                    KubeRequest.of("GET", "/api/v1/nodes"),
                    KubeRequest.of("GET", "/api/v1/pods"),
                    KubeRequest.of("GET", "/apis/apps/v1/deployments?watch=true"),
                    KubeRequest.of("POST", "/api/v1/namespaces"),
                    KubeRequest.of("PUT", "/api/v1/namespaces/shop"),
                    KubeRequest.of("POST", "/apis/apps/v1/namespaces/shop/deployments"),
                    KubeRequest.of("DELETE", "/apis/apps/v1/namespaces/shop/deployments/web"),
                    KubeRequest.of("POST", "/api/v1/namespaces/shop/resourcequotas"),
                    KubeRequest.of(
                            "POST", "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies"),
                    KubeRequest.of("POST", "/api/v1/namespaces/shop/events"),
                    KubeRequest.of(
                            "GET",
                            "/api/v1/namespaces/fedplane-system/secrets/fedplane-agent-credential"),
                    KubeRequest.of(
                            "PUT",
                            "/api/v1/namespaces/fedplane-system/secrets/fedplane-agent-credential"),
                    KubeRequest.of("GET", "/version"));

    @Test
    @DisplayName("the agent manifest's roles grant each kind of request the agent makes")
    void manifestGrantsTheAgentsRequests() {
        RbacRules rules = RbacRules.fromManifest(AGENT_MANIFEST);
        assertThat(AGENT_REQUESTS)
                .allSatisfy(r -> assertThat(rules.allows(r)).as(r.describe()).isTrue());
    }

    @Test
    @DisplayName(
            "the agent manifest's roles refuse what the agent must not do: other Secrets, Secrets elsewhere, writes to Nodes and Pods, other kinds")
    void manifestRefusesTheRest() {
        RbacRules rules = RbacRules.fromManifest(AGENT_MANIFEST);
        assertThat(
                        Stream.of(
                                KubeRequest.of(
                                        "GET", "/api/v1/namespaces/fedplane-system/secrets/other"),
                                KubeRequest.of("GET", "/api/v1/namespaces/fedplane-system/secrets"),
                                KubeRequest.of(
                                        "GET",
                                        "/api/v1/namespaces/shop/secrets/fedplane-agent-credential"),
                                KubeRequest.of("POST", "/api/v1/namespaces/shop/secrets"),
                                KubeRequest.of("DELETE", "/api/v1/nodes/n1"),
                                KubeRequest.of("POST", "/api/v1/namespaces/shop/pods"),
                                KubeRequest.of(
                                        "PATCH", "/apis/apps/v1/namespaces/shop/deployments/web"),
                                KubeRequest.of("GET", "/api/v1/configmaps"),
                                KubeRequest.of(
                                        "PUT",
                                        "/apis/apps/v1/namespaces/shop/deployments/web/scale"),
                                KubeRequest.of(
                                        "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles"),
                                KubeRequest.of("GET", "/metrics")))
                .allSatisfy(r -> assertThat(rules.allows(r)).as(r.describe()).isFalse());
    }

    @Test
    @DisplayName(
            "a role missing any one of the manifest's rules refuses some request the agent makes")
    void aRoleMissingOneRuleFails() {
        RbacRules full = RbacRules.fromManifest(AGENT_MANIFEST);
        assertThat(AGENT_REQUESTS).allSatisfy(r -> assertThat(full.allows(r)).isTrue());
        ClusterRole role = clusterRole();
        Role secrets = secretsRole();
        for (int i = 0; i < role.getRules().size(); i++) {
            List<PolicyRule> fewer = new ArrayList<>(role.getRules());
            PolicyRule dropped = fewer.remove(i);
            RbacRules missing =
                    new RbacRules(
                            List.of(new ClusterRoleBuilder(role).withRules(fewer).build()),
                            List.of(secrets));
            assertThat(AGENT_REQUESTS.stream().filter(r -> !missing.allows(r)).toList())
                    .as("without rule " + dropped)
                    .isNotEmpty();
        }
        for (int i = 0; i < secrets.getRules().size(); i++) {
            List<PolicyRule> fewer = new ArrayList<>(secrets.getRules());
            PolicyRule dropped = fewer.remove(i);
            RbacRules missing =
                    new RbacRules(
                            List.of(role),
                            List.of(new RoleBuilder(secrets).withRules(fewer).build()));
            List<KubeRequest> withCreate = new ArrayList<>(AGENT_REQUESTS);
            withCreate.add(KubeRequest.of("POST", "/api/v1/namespaces/fedplane-system/secrets"));
            assertThat(withCreate.stream().filter(r -> !missing.allows(r)).toList())
                    .as("without rule " + dropped)
                    .isNotEmpty();
        }
    }

    @Test
    @DisplayName("a Role grants only in its own namespace, and resourceNames never match a create")
    void roleScope() {
        Role r =
                new RoleBuilder()
                        .withNewMetadata()
                        .withName("r")
                        .withNamespace("a")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("secrets")
                        .withVerbs("get", "create")
                        .withResourceNames("s")
                        .endRule()
                        .build();
        RbacRules rules =
                new RbacRules(
                        List.of(
                                new ClusterRoleBuilder()
                                        .withNewMetadata()
                                        .withName("c")
                                        .endMetadata()
                                        .build()),
                        List.of(r));
        assertThat(rules.allows(KubeRequest.of("GET", "/api/v1/namespaces/a/secrets/s"))).isTrue();
        assertThat(rules.allows(KubeRequest.of("GET", "/api/v1/namespaces/b/secrets/s"))).isFalse();
        assertThat(rules.allows(KubeRequest.of("POST", "/api/v1/namespaces/a/secrets"))).isFalse();
    }

    private static ClusterRole clusterRole() {
        return RbacRulesTestSupport.read(AGENT_MANIFEST, ClusterRole.class);
    }

    private static Role secretsRole() {
        return RbacRulesTestSupport.read(AGENT_MANIFEST, Role.class);
    }
}
