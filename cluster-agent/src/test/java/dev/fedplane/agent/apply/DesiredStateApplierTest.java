package dev.fedplane.agent.apply;

import static dev.fedplane.agent.testing.Fixtures.aNamespaceSpec;
import static dev.fedplane.agent.testing.Fixtures.aWorkloadSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.sim.SimulatedCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DesiredStateApplierTest {

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

    @Test
    void a_full_state_creates_labelled_namespaces_and_deployments_with_requests_equal_to_limits() {
        ApplyResult result =
                applier.apply(
                        new DesiredChange.Full(
                                List.of(aNamespaceSpec("shop")),
                                List.of(aWorkloadSpec("shop", "web", 4))));

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(client.namespaces().withName("shop").get().getMetadata().getLabels())
                .containsEntry("team", "shop-team")
                .containsEntry("fedplane.dev/managed-by", "fedplane")
                .containsEntry("fedplane.dev/tenant", "shop");
        Deployment web = client.apps().deployments().inNamespace("shop").withName("web").get();
        assertThat(web.getMetadata().getLabels())
                .containsEntry("fedplane.dev/managed-by", "fedplane")
                .containsEntry("fedplane.dev/tenant", "shop")
                .containsEntry("fedplane.dev/app", "web");
        assertThat(web.getMetadata().getAnnotations())
                .containsEntry("fedplane.dev/app-generation", "3");
        assertThat(web.getSpec().getReplicas()).isEqualTo(4);
        assertThat(web.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("fedplane.dev/managed-by", "fedplane");
        Container app = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(app.getName()).isEqualTo("app");
        assertThat(app.getImage()).isEqualTo("registry.example/web:1.0");
        assertThat(app.getResources().getRequests())
                .isEqualTo(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")));
        assertThat(app.getResources().getLimits()).isEqualTo(app.getResources().getRequests());
        assertThat(app.getPorts())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getName()).isEqualTo("http");
                            assertThat(p.getContainerPort()).isEqualTo(8080);
                        });
        assertThat(app.getEnv())
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("prod"));
    }

    @Test
    void a_second_full_state_removes_managed_objects_no_longer_desired_and_keeps_unmanaged_ones() {
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("legacy")
                                .endMetadata()
                                .build())
                .create();
        applier.apply(
                new DesiredChange.Full(
                        List.of(
                                aNamespaceSpec("shop"),
                                aNamespaceSpec("blog"),
                                aNamespaceSpec("legacy")),
                        List.of(
                                aWorkloadSpec("shop", "web", 2),
                                aWorkloadSpec("shop", "api", 2),
                                aWorkloadSpec("blog", "site", 1))));
        client.apps()
                .deployments()
                .inNamespace("shop")
                .resource(unmanagedDeployment("shop", "hand-made"))
                .create();

        ApplyResult result =
                applier.apply(
                        new DesiredChange.Full(
                                List.of(aNamespaceSpec("shop")),
                                List.of(aWorkloadSpec("shop", "web", 3))));

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(client.apps().deployments().inNamespace("shop").list().getItems())
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("web", "hand-made");
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("shop")
                                .withName("web")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isEqualTo(3);
        assertThat(client.namespaces().withName("blog").get()).isNull();
        assertThat(client.apps().deployments().inNamespace("blog").list().getItems()).isEmpty();
        assertThat(client.namespaces().withName("legacy").get())
                .as("an unmanaged namespace is never removed")
                .isNotNull();
    }

    @Test
    void a_delta_upserts_and_removes_single_workloads() {
        applier.apply(
                new DesiredChange.Full(
                        List.of(aNamespaceSpec("shop")),
                        List.of(aWorkloadSpec("shop", "web", 2), aWorkloadSpec("shop", "api", 1))));

        ApplyResult result =
                applier.apply(
                        new DesiredChange.Delta(
                                List.of(),
                                List.of(),
                                List.of(aWorkloadSpec("shop", "web", 5)),
                                List.of(new WorkloadKey("shop", "api"))));

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(client.apps().deployments().inNamespace("shop").list().getItems())
                .extracting(d -> d.getMetadata().getName() + "=" + d.getSpec().getReplicas())
                .containsExactly("web=5");
    }

    @Test
    void applying_the_same_workload_again_does_not_write_it() {
        applier.apply(
                new DesiredChange.Full(
                        List.of(aNamespaceSpec("shop")), List.of(aWorkloadSpec("shop", "web", 2))));
        String version =
                client.apps()
                        .deployments()
                        .inNamespace("shop")
                        .withName("web")
                        .get()
                        .getMetadata()
                        .getResourceVersion();

        applier.apply(
                new DesiredChange.Full(
                        List.of(aNamespaceSpec("shop")), List.of(aWorkloadSpec("shop", "web", 2))));
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("shop")
                                .withName("web")
                                .get()
                                .getMetadata()
                                .getResourceVersion())
                .isEqualTo(version);

        applier.apply(
                new DesiredChange.Full(
                        List.of(aNamespaceSpec("shop")), List.of(aWorkloadSpec("shop", "web", 3))));
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("shop")
                                .withName("web")
                                .get()
                                .getMetadata()
                                .getResourceVersion())
                .isNotEqualTo(version);
    }

    @Test
    void an_unmanaged_deployment_in_the_way_is_left_alone_and_reported() {
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("shop")
                                .endMetadata()
                                .build())
                .create();
        client.apps()
                .deployments()
                .inNamespace("shop")
                .resource(unmanagedDeployment("shop", "web"))
                .create();

        ApplyResult result =
                applier.apply(
                        new DesiredChange.Full(
                                List.of(aNamespaceSpec("shop")),
                                List.of(aWorkloadSpec("shop", "web", 2))));

        assertThat(result.success()).isFalse();
        assertThat(result.summary()).contains("unmanaged deployment shop/web");
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("shop")
                                .withName("web")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isEqualTo(1);
        assertThat(client.namespaces().withName("shop").get().getMetadata().getLabels())
                .isNullOrEmpty();
    }

    private static Deployment unmanagedDeployment(String namespace, String name) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Map.of("owner", "someone"))
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(Map.of("owner", "someone"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("owner", "someone"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
