package dev.fedplane.agent.sim;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A pretend cluster in this JVM: fabric8's {@link KubernetesMockServer} in CRUD mode with {@code
 * nodes} Ready nodes of the given allocatable, plus a {@link SimulatedKubelet}. The agent talks to
 * it with the real fabric8 client from {@link #client()}.
 */
public final class SimulatedCluster implements AutoCloseable {

    /** Held so the level set on it stays (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final SimulatedKubelet kubelet;

    private SimulatedCluster(
            KubernetesMockServer server, KubernetesClient client, SimulatedKubelet kubelet) {
        this.server = server;
        this.client = client;
        this.kubelet = kubelet;
    }

    public static SimulatedCluster start(
            String name,
            int nodes,
            Quantity cpu,
            Quantity memory,
            int podsPerNode,
            Duration kubeletPeriod) {
        KubernetesMockServer server = newCrudServer();
        KubernetesClient client = server.createClient();
        for (int i = 0; i < nodes; i++) {
            client.nodes()
                    .resource(readyNode(name + "-node-" + i, cpu, memory, podsPerNode))
                    .create();
        }
        return new SimulatedCluster(server, client, new SimulatedKubelet(client, kubeletPeriod));
    }

    /** A started CRUD-mode mock API server with nothing in it. */
    public static KubernetesMockServer newCrudServer() {
        // The mock server logs every request at INFO through java.util.logging.
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new KubernetesCrudDispatcher(),
                        false);
        server.init();
        return server;
    }

    public static io.fabric8.kubernetes.api.model.Node readyNode(
            String name, Quantity cpu, Quantity memory, int pods) {
        Map<String, Quantity> allocatable =
                Map.of("cpu", cpu, "memory", memory, "pods", new Quantity(Integer.toString(pods)));
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withAllocatable(allocatable)
                .withCapacity(allocatable)
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withReason("KubeletReady")
                .endCondition()
                .endStatus()
                .build();
    }

    /** The mock API server (tests read the requests it received). */
    public KubernetesMockServer server() {
        return server;
    }

    /** The client toward the simulated API server; closed with this cluster. */
    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        kubelet.close();
        client.close();
        server.destroy();
    }
}
