package dev.fedplane.agent;

import dev.fedplane.agent.sim.SimulatedCluster;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar fedplane-agent.jar}: runs one agent until the JVM is stopped. */
@Command(
        name = "fedplane-agent",
        mixinStandardHelpOptions = true,
        version = AgentConfig.DEFAULT_AGENT_VERSION,
        description =
                "Fedplane cluster agent: registers the cluster with the control plane, reports capacity and "
                        + "workload status, and applies the desired state.")
public final class AgentCommand implements Callable<Integer> {

    @Option(
            names = "--control-plane",
            split = ",",
            paramLabel = "HOST:PORT",
            description =
                    "Control-plane address; repeat or separate with commas (env FEDPLANE_CONTROL_PLANE).")
    List<String> controlPlane = new ArrayList<>();

    @Option(
            names = "--bootstrap-token",
            description =
                    "Bootstrap token for the first registration (env FEDPLANE_BOOTSTRAP_TOKEN).")
    String bootstrapToken;

    @Option(
            names = "--cluster-name",
            description = "This cluster's name (env FEDPLANE_CLUSTER_NAME).")
    String clusterName;

    @Option(
            names = "--label",
            paramLabel = "KEY=VALUE",
            description = "A cluster label; repeat for more.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
            names = "--taint",
            paramLabel = "KEY=VALUE:EFFECT",
            description = "A cluster taint; repeat for more.")
    List<String> taints = new ArrayList<>();

    @Option(
            names = "--kubeconfig",
            description = "kubeconfig file; default: in-cluster config or ~/.kube/config.")
    Path kubeconfig;

    @Option(
            names = "--credential-file",
            description =
                    "Keep the cluster credential in this file (mode 0600) instead of a Secret.")
    Path credentialFile;

    @Option(
            names = "--namespace",
            defaultValue = AgentConfig.DEFAULT_NAMESPACE,
            description = "Namespace of the credential Secret (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--cost-per-cpu-hour",
            defaultValue = "0",
            description = "Cost of one CPU-hour, reported at registration.")
    double costPerCpuHour;

    @Option(
            names = "--status-interval",
            defaultValue = "500ms",
            description =
                    "Least time between two change-triggered status reports (default: ${DEFAULT-VALUE}).")
    String statusInterval;

    @Option(
            names = "--heartbeat-interval",
            description = "Override the control plane's heartbeat interval (e.g. 5s).")
    String heartbeatInterval;

    @Option(
            names = "--resync-interval",
            defaultValue = "1m",
            description =
                    "While connected, apply the last desired state again this often to correct drift; 0 turns it off (default: ${DEFAULT-VALUE}).")
    String resyncInterval;

    @Option(
            names = "--plaintext",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Plaintext gRPC (default); --no-plaintext uses TLS.")
    boolean plaintext;

    @Option(
            names = "--tls-ca-file",
            description = "PEM CA certificates to trust for TLS; default: the JDK's.")
    Path tlsCaFile;

    @Option(
            names = "--tls-cert-file",
            description = "PEM client certificate for mutual TLS (with --tls-key-file).")
    Path tlsCertFile;

    @Option(names = "--tls-key-file", description = "PKCS#8 PEM key of --tls-cert-file.")
    Path tlsKeyFile;

    @Option(
            names = "--simulate",
            description = "Run against an in-process mock API server with a simulated kubelet.")
    boolean simulate;

    @Option(
            names = "--sim-nodes",
            defaultValue = "3",
            description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
    int simNodes;

    @Option(
            names = "--sim-node-cpu",
            defaultValue = "8000m",
            description = "Allocatable CPU per simulated node (default: ${DEFAULT-VALUE}).")
    String simNodeCpu;

    @Option(
            names = "--sim-node-memory",
            defaultValue = "32Gi",
            description = "Allocatable memory per simulated node (default: ${DEFAULT-VALUE}).")
    String simNodeMemory;

    @Option(
            names = "--sim-node-pods",
            defaultValue = "110",
            description = "Allocatable pods per simulated node (default: ${DEFAULT-VALUE}).")
    int simNodePods;

    public static void main(String[] args) {
        // The jar's own logging setup, under a name that cannot clash with an embedding
        // application's logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "fedplane-agent-logback.xml");
        }
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        AgentConfig config = toConfig(System.getenv());
        SimulatedCluster sim = null;
        KubernetesClient client;
        if (simulate) {
            sim =
                    SimulatedCluster.start(
                            config.clusterName(),
                            simNodes,
                            new Quantity(simNodeCpu),
                            new Quantity(simNodeMemory),
                            simNodePods,
                            Duration.ofMillis(500));
            client = sim.client();
        } else {
            client = kubernetesClient();
        }
        Agent agent = new Agent(config, client);
        CountDownLatch stopped = new CountDownLatch(1);
        SimulatedCluster simulated = sim;
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    agent.close();
                                    if (simulated != null) {
                                        simulated.close();
                                    } else {
                                        client.close();
                                    }
                                    stopped.countDown();
                                },
                                "fedplane-agent-shutdown"));
        agent.start();
        stopped.await();
        return 0;
    }

    AgentConfig toConfig(Map<String, String> env) {
        List<String> addresses = new ArrayList<>(controlPlane);
        if (addresses.isEmpty() && env.get("FEDPLANE_CONTROL_PLANE") != null) {
            for (String a : env.get("FEDPLANE_CONTROL_PLANE").split(",")) {
                if (!a.isBlank()) {
                    addresses.add(a.strip());
                }
            }
        }
        if (addresses.isEmpty()) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--control-plane (or FEDPLANE_CONTROL_PLANE) is required");
        }
        String name = clusterName != null ? clusterName : env.get("FEDPLANE_CLUSTER_NAME");
        if (name == null || name.isBlank()) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--cluster-name (or FEDPLANE_CLUSTER_NAME) is required");
        }
        String token =
                bootstrapToken != null
                        ? bootstrapToken
                        : env.getOrDefault("FEDPLANE_BOOTSTRAP_TOKEN", "");
        AgentConfig.Builder builder =
                AgentConfig.builder(name, addresses)
                        .bootstrapToken(token)
                        .labels(labels)
                        .credentialFile(credentialFile)
                        .credentialNamespace(namespace)
                        .costPerCpuHour(costPerCpuHour)
                        .statusInterval(duration(statusInterval))
                        .resyncInterval(duration(resyncInterval))
                        .plaintext(plaintext)
                        .trustCertificates(tlsCaFile)
                        .clientCertificate(tlsCertFile, tlsKeyFile);
        if (heartbeatInterval != null) {
            builder.heartbeatInterval(duration(heartbeatInterval));
        }
        taints.forEach(t -> builder.taint(AgentConfig.TaintSpec.parse(t)));
        return builder.build();
    }

    private KubernetesClient kubernetesClient() throws IOException {
        if (kubeconfig == null) {
            return new KubernetesClientBuilder().build();
        }
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                .build();
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
    static Duration duration(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(
                    Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.parse(t);
    }
}
