package dev.fedplane.agent.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.sim.SimulatedCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CapacityCalculatorTest {

    private static final Map<String, String> MANAGED =
            Map.of("fedplane.dev/managed-by", "fedplane");

    @Test
    void
            free_is_the_allocatable_of_ready_nodes_minus_the_requests_of_running_pods_with_the_managed_part_apart() {
        Node notReady =
                SimulatedCluster.readyNode("n3", new Quantity("64"), new Quantity("256Gi"), 110);
        notReady.getStatus().getConditions().get(0).setStatus("False");
        List<Node> nodes =
                List.of(
                        SimulatedCluster.readyNode(
                                "n1", new Quantity("8"), new Quantity("32Gi"), 110),
                        SimulatedCluster.readyNode(
                                "n2", new Quantity("4000m"), new Quantity("16Gi"), 50),
                        notReady);
        List<Pod> pods =
                List.of(
                        pod("web-1", "Running", MANAGED, "500m", "512Mi"),
                        pod("web-2", "Pending", MANAGED, "500m", "512Mi"),
                        pod("db", "Running", Map.of(), "2", "4Gi"),
                        pod("job", "Succeeded", Map.of(), "3", "1Gi"),
                        pod("crashed", "Failed", MANAGED, "1", "1Gi"));

        CapacitySnapshot c = CapacityCalculator.compute(nodes, pods);

        // allocatable: 8000m + 4000m, 32768 + 16384 MiB, 110 + 50 pods (n3 is not Ready)
        assertThat(c.allocatable()).isEqualTo(new Amounts(12_000, 49_152, 160));
        // requested: web-1 + web-2 + db = 500 + 500 + 2000 m, 512 + 512 + 4096 MiB, 3 pods
        assertThat(c.requested()).isEqualTo(new Amounts(3_000, 5_120, 3));
        assertThat(c.free()).isEqualTo(new Amounts(9_000, 44_032, 157));
        assertThat(c.managedRequested()).isEqualTo(new Amounts(1_000, 1_024, 2));
    }

    @Test
    void free_never_goes_below_zero() {
        List<Node> nodes =
                List.of(
                        SimulatedCluster.readyNode(
                                "n1", new Quantity("1"), new Quantity("1Gi"), 1));
        List<Pod> pods =
                List.of(
                        pod("a", "Running", Map.of(), "2", "2Gi"),
                        pod("b", "Running", Map.of(), "2", "2Gi"));

        assertThat(CapacityCalculator.compute(nodes, pods).free()).isEqualTo(Amounts.ZERO);
    }

    @Test
    void an_init_container_larger_than_the_containers_sets_the_pod_request() {
        Pod pod =
                new PodBuilder(pod("p", "Running", Map.of(), "100m", "100Mi"))
                        .editSpec()
                        .addNewInitContainer()
                        .withName("init")
                        .withNewResources()
                        .withRequests(
                                Map.of("cpu", new Quantity("1"), "memory", new Quantity("50Mi")))
                        .endResources()
                        .endInitContainer()
                        .endSpec()
                        .build();

        assertThat(CapacityCalculator.podRequest(pod)).isEqualTo(new Amounts(1_000, 100, 1));
    }

    private static Pod pod(
            String name, String phase, Map<String, String> labels, String cpu, String memory) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("ns")
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }
}
