package dev.fedplane.agent.apply;

import static dev.fedplane.agent.testing.Fixtures.aNamespaceSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.sim.SimulatedCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The labels and annotations of an app's overrides, applied against the CRUD mock API server. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OverrideLabelsApplyTest {

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

    private static WorkloadSpec web(Map<String, String> labels, Map<String, String> annotations) {
        return new WorkloadSpec(
                "shop",
                "web",
                3,
                "harbor.bj.example/web:1.0",
                2,
                500,
                512,
                List.of(new WorkloadSpec.Port("http", 8080, "TCP")),
                List.of(new WorkloadSpec.Env("MODE", "prod")),
                0,
                0,
                0,
                labels,
                annotations);
    }

    private void apply(WorkloadSpec w) {
        ApplyResult r =
                applier.apply(new DesiredChange.Full(List.of(aNamespaceSpec("shop")), List.of(w)));
        assertThat(r.success()).as(r.summary()).isTrue();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace("shop").withName("web").get();
    }

    @Test
    void override_labels_and_annotations_go_on_the_deployment_and_its_pod_template() {
        apply(web(Map.of("idc", "bj", "team", "checkout"), Map.of("example.com/owner", "ops-bj")));

        Deployment d = deployment();
        assertThat(d.getMetadata().getLabels())
                .containsEntry("idc", "bj")
                .containsEntry("team", "checkout")
                .containsEntry("fedplane.dev/managed-by", "fedplane")
                .containsEntry("fedplane.dev/app", "web");
        assertThat(d.getMetadata().getAnnotations())
                .containsEntry("example.com/owner", "ops-bj")
                .containsEntry("fedplane.dev/app-generation", "3")
                .containsEntry("fedplane.dev/override-annotations", "example.com/owner");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("idc", "bj")
                .containsEntry("team", "checkout")
                .containsEntry("fedplane.dev/tenant", "shop");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .isEqualTo(Map.of("example.com/owner", "ops-bj"));
        assertThat(d.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("fedplane.dev/tenant", "shop", "fedplane.dev/app", "web"));
    }

    @Test
    void a_label_or_annotation_under_fedplane_dev_never_replaces_the_agents_own() {
        apply(
                web(
                        Map.of("fedplane.dev/app", "evil", "fedplane.dev/managed-by", "me"),
                        Map.of("fedplane.dev/app-generation", "999")));

        Deployment d = deployment();
        assertThat(d.getMetadata().getLabels())
                .containsEntry("fedplane.dev/app", "web")
                .containsEntry("fedplane.dev/managed-by", "fedplane");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("fedplane.dev/app", "web");
        assertThat(d.getMetadata().getAnnotations())
                .containsEntry("fedplane.dev/app-generation", "3")
                .doesNotContainKey("fedplane.dev/override-annotations");
    }

    @Test
    void a_changed_label_and_a_dropped_annotation_are_updated_and_removed() {
        apply(
                web(
                        Map.of("idc", "bj"),
                        Map.of("example.com/owner", "ops-bj", "example.com/x", "1")));

        apply(web(Map.of("idc", "sh"), Map.of("example.com/owner", "ops-sh")));

        Deployment d = deployment();
        assertThat(d.getMetadata().getLabels()).containsEntry("idc", "sh");
        assertThat(d.getMetadata().getAnnotations())
                .containsEntry("example.com/owner", "ops-sh")
                .doesNotContainKey("example.com/x")
                .containsEntry("fedplane.dev/override-annotations", "example.com/owner");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .isEqualTo(Map.of("example.com/owner", "ops-sh"));

        apply(web(Map.of(), Map.of()));

        d = deployment();
        assertThat(d.getMetadata().getLabels()).doesNotContainKey("idc");
        assertThat(d.getMetadata().getAnnotations())
                .doesNotContainKeys("example.com/owner", "fedplane.dev/override-annotations");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void the_same_state_again_leaves_the_deployment_alone_even_with_annotations_of_others() {
        apply(web(Map.of("idc", "bj"), Map.of("example.com/owner", "ops-bj")));
        Deployment d = deployment();
        d.getMetadata().getAnnotations().put("deployment.kubernetes.io/revision", "4");
        client.apps().deployments().inNamespace("shop").resource(d).update();
        String version = deployment().getMetadata().getResourceVersion();

        apply(web(Map.of("idc", "bj"), Map.of("example.com/owner", "ops-bj")));

        assertThat(deployment().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(deployment().getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "4");
    }
}
