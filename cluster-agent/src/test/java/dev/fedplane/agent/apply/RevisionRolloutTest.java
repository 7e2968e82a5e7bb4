package dev.fedplane.agent.apply;

import static dev.fedplane.agent.testing.Fixtures.aNamespaceSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.sim.SimulatedCluster;
import dev.fedplane.agent.sim.SimulatedKubelet;
import dev.fedplane.agent.status.WorkloadStatus;
import dev.fedplane.agent.status.WorkloadStatusWatcherAccess;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Revisions and RollingUpdate on the real fabric8 path against the CRUD mock API server: what the
 * applier writes (the revision annotation, maxSurge and maxUnavailable), what the status watcher
 * reports from a Deployment (revision, updated, ready, available), and the simulated kubelet
 * rolling a template change step by step.
 */
class RevisionRolloutTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private DesiredStateApplier applier;
    private SimulatedKubelet kubelet;

    @BeforeEach
    void start() {
        server = SimulatedCluster.newCrudServer();
        client = server.createClient();
        client.nodes()
                .resource(
                        SimulatedCluster.readyNode(
                                "n1", new Quantity("64"), new Quantity("256Gi"), 110))
                .create();
        applier = new DesiredStateApplier(client);
        // Runs once at start, then only when a test calls it (the period is long).
        kubelet = new SimulatedKubelet(client, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        kubelet.close();
        client.close();
        server.destroy();
    }

    private static WorkloadSpec web(String image, long revision, int surge, int unavailable) {
        return new WorkloadSpec(
                "shop",
                "web",
                3,
                image,
                4,
                500,
                512,
                List.of(),
                List.of(),
                revision,
                surge,
                unavailable,
                Map.of(),
                Map.of());
    }

    private void apply(WorkloadSpec w) {
        assertThat(
                        applier.apply(
                                        new DesiredChange.Full(
                                                List.of(aNamespaceSpec("shop")), List.of(w)))
                                .success())
                .isTrue();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace("shop").withName("web").get();
    }

    @Test
    @DisplayName(
            "the Deployment carries the revision annotation and the workload's RollingUpdate; an unchanged workload is not written again")
    void annotationAndStrategy() {
        apply(web("registry.example/web:1.0", 2, 1, 0));
        Deployment d = deployment();
        assertThat(d.getMetadata().getAnnotations()).containsEntry("fedplane.dev/revision", "2");
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
                .isEqualTo(new IntOrString(1));
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString(0));
        String version = d.getMetadata().getResourceVersion();
        apply(web("registry.example/web:1.0", 2, 1, 0));
        assertThat(deployment().getMetadata().getResourceVersion()).isEqualTo(version);
        // A new revision alone (same template) rewrites the annotation.
        apply(web("registry.example/web:1.0", 3, 1, 0));
        assertThat(deployment().getMetadata().getAnnotations())
                .containsEntry("fedplane.dev/revision", "3");
        // Both 0: no strategy is set (Kubernetes' defaults), and no revision: no annotation.
        apply(web("registry.example/web:1.0", 0, 0, 0));
        assertThat(deployment().getMetadata().getAnnotations())
                .doesNotContainKey("fedplane.dev/revision");
    }

    @Test
    @DisplayName(
            "the simulated kubelet rolls a new template maxSurge pods per period; the status reports the revision's progress")
    void rollingProgress() {
        apply(web("registry.example/web:1.0", 1, 1, 0));
        kubelet.reconcileOnce();
        WorkloadStatus s = status();
        assertThat(s.revision()).isEqualTo(1);
        assertThat(s.updatedReplicas()).isEqualTo(4);
        assertThat(s.readyReplicas()).isEqualTo(4);
        assertThat(s.availableReplicas()).isEqualTo(4);

        apply(web("registry.example/web:2.0", 2, 1, 0));
        List<Integer> updated = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            kubelet.reconcileOnce();
            WorkloadStatus now = status();
            assertThat(now.revision()).isEqualTo(2);
            assertThat(now.readyReplicas()).isEqualTo(4);
            updated.add(now.updatedReplicas());
        }
        assertThat(updated).containsExactly(1, 2, 3, 4);
        assertThat(
                        client.pods().inNamespace("shop").list().getItems().stream()
                                .map(p -> p.getSpec().getContainers().get(0).getImage())
                                .distinct())
                .containsExactly("registry.example/web:2.0");
    }

    @Test
    @DisplayName("updated replicas count only once the controller observed the latest generation")
    void updatedNeedsObservedGeneration() {
        Deployment d =
                new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withNamespace("shop")
                        .withGeneration(5L)
                        .addToAnnotations("fedplane.dev/revision", "7")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(4)
                        .endSpec()
                        .withNewStatus()
                        .withObservedGeneration(4L)
                        .withUpdatedReplicas(4)
                        .withReadyReplicas(4)
                        .withAvailableReplicas(3)
                        .endStatus()
                        .build();
        WorkloadStatus stale = WorkloadStatusWatcherAccess.toStatus(d);
        assertThat(stale.revision()).isEqualTo(7);
        assertThat(stale.updatedReplicas()).isZero();
        assertThat(stale.availableReplicas()).isEqualTo(3);
        d.getStatus().setObservedGeneration(5L);
        assertThat(WorkloadStatusWatcherAccess.toStatus(d).updatedReplicas()).isEqualTo(4);
    }

    private WorkloadStatus status() {
        return WorkloadStatusWatcherAccess.toStatus(deployment());
    }
}
