package dev.fedplane.agent.capacity;

import dev.fedplane.agent.apply.ManagedLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Capacity from Nodes and Pods, the way the Kubernetes scheduler counts it: a node counts when its
 * {@code Ready} condition is {@code True}; a pod counts unless its phase is {@code Succeeded} or
 * {@code Failed}; a pod's request is the larger of the sum over its containers and the largest init
 * container (per resource).
 */
public final class CapacityCalculator {

    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private CapacityCalculator() {}

    /** Lists nodes and pods (all namespaces) and computes. Blocking; throws on API errors. */
    public static CapacitySnapshot collect(KubernetesClient client) {
        return compute(
                client.nodes().list().getItems(), client.pods().inAnyNamespace().list().getItems());
    }

    public static CapacitySnapshot compute(List<Node> nodes, List<Pod> pods) {
        Amounts allocatable = Amounts.ZERO;
        for (Node node : nodes) {
            if (isReady(node) && node.getStatus().getAllocatable() != null) {
                Map<String, Quantity> a = node.getStatus().getAllocatable();
                allocatable =
                        allocatable.plus(
                                new Amounts(
                                        cpuMillis(a.get("cpu")),
                                        memoryMib(a.get("memory")),
                                        count(a.get("pods"))));
            }
        }
        Amounts requested = Amounts.ZERO;
        Amounts managed = Amounts.ZERO;
        for (Pod pod : pods) {
            if (isTerminated(pod)) {
                continue;
            }
            Amounts podRequest = podRequest(pod);
            requested = requested.plus(podRequest);
            Map<String, String> labels =
                    pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
            if (labels != null
                    && ManagedLabels.MANAGED_BY_VALUE.equals(
                            labels.get(ManagedLabels.MANAGED_BY))) {
                managed = managed.plus(podRequest);
            }
        }
        return new CapacitySnapshot(
                allocatable, requested, allocatable.minusFloorZero(requested), managed);
    }

    static boolean isReady(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    static boolean isTerminated(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** One pod's request, counting the pod itself as 1. */
    static Amounts podRequest(Pod pod) {
        long cpu = 0;
        long mem = 0;
        if (pod.getSpec() != null) {
            for (Container c : nullSafe(pod.getSpec().getContainers())) {
                Map<String, Quantity> r = requests(c);
                cpu += cpuMillis(r.get("cpu"));
                mem += memoryMib(r.get("memory"));
            }
            for (Container c : nullSafe(pod.getSpec().getInitContainers())) {
                Map<String, Quantity> r = requests(c);
                cpu = Math.max(cpu, cpuMillis(r.get("cpu")));
                mem = Math.max(mem, memoryMib(r.get("memory")));
            }
        }
        return new Amounts(cpu, mem, 1);
    }

    private static Map<String, Quantity> requests(Container c) {
        if (c.getResources() == null || c.getResources().getRequests() == null) {
            return Map.of();
        }
        return c.getResources().getRequests();
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** CPU in millicores, rounded up (Kubernetes' own rounding for milli values). */
    public static long cpuMillis(Quantity q) {
        if (q == null) {
            return 0;
        }
        return q.getNumericalAmount()
                .multiply(THOUSAND)
                .setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }

    /** Memory in MiB, rounded down. */
    public static long memoryMib(Quantity q) {
        if (q == null) {
            return 0;
        }
        return q.getNumericalAmount().divide(MIB, 0, RoundingMode.FLOOR).longValueExact();
    }

    private static long count(Quantity q) {
        if (q == null) {
            return 0;
        }
        return q.getNumericalAmount().setScale(0, RoundingMode.FLOOR).longValueExact();
    }
}
