package dev.fedplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The charts in {@code helm/} rendered by {@link HelmTemplate}: the committed plain manifests in
 * {@code manifests/} are exactly the default rendering (run with {@code
 * -Dfedplane.deploy.write=true} to rewrite them after changing a chart), every document parses as a
 * typed Kubernetes object with fabric8, applies to fabric8's KubernetesMockServer (CRUD mode) and
 * reads back; the objects say what the charts promise (probes, anti-affinity, disruption budget,
 * non-root, Secrets, RBAC bound to the Deployment's ServiceAccount). Other value sets (TLS,
 * ZooKeeper, ServiceMonitor, a bootstrap token) render and apply too.
 */
class ChartsTest {
    static final Path DEPLOY = Path.of("").toAbsolutePath();
    static final String NAMESPACE = "fedplane-system";
    private static final boolean WRITE = Boolean.getBoolean("fedplane.deploy.write");

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new KubernetesCrudDispatcher(),
                        false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    static String render(String chart, Map<String, Object> overrides) {
        return HelmTemplate.renderChart(
                DEPLOY.resolve("helm").resolve(chart), chart, NAMESPACE, overrides);
    }

    /** Every document of a rendering, parsed by fabric8. */
    static List<HasMetadata> parse(String rendered) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            Object o = Serialization.unmarshal(doc);
            assertThat(o).as("a Kubernetes object:\n" + doc).isInstanceOf(HasMetadata.class);
            out.add((HasMetadata) o);
        }
        return out;
    }

    private void assertManifestIsTheRendering(String chart) throws IOException {
        Path file = DEPLOY.resolve("manifests").resolve(chart + ".yaml");
        String rendered =
                "# Rendered from deploy/helm/"
                        + chart
                        + " with its values.yaml (release "
                        + chart
                        + ", namespace "
                        + NAMESPACE
                        + ") by deploy's ChartsTest; do not edit: change the chart and run\n"
                        + "#   ./mvnw -q -pl deploy test -Dfedplane.deploy.write=true\n"
                        + render(chart, Map.of());
        if (WRITE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, rendered);
        }
        assertThat(Files.readString(file))
                .as(file + " is the chart's rendering (see its header to renew it)")
                .isEqualTo(rendered);
    }

    private List<HasMetadata> applied(String rendered) {
        List<HasMetadata> objects = parse(rendered);
        for (HasMetadata o : objects) {
            assertThat(o)
                    .as(o.getKind() + " " + o.getMetadata().getName() + " is a typed object")
                    .isNotInstanceOf(GenericKubernetesResource.class);
            client.resource(o).create();
        }
        for (HasMetadata o : objects) {
            assertThat(client.resource(o).get())
                    .as("read back " + o.getKind() + " " + o.getMetadata().getName())
                    .isNotNull();
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<HasMetadata> found = objects.stream().filter(type::isInstance).toList();
        assertThat(found).as("one " + type.getSimpleName()).hasSize(1);
        return (T) found.get(0);
    }

    private static Map<String, EnvVar> env(Container c) {
        Map<String, EnvVar> out = new HashMap<>();
        c.getEnv().forEach(e -> out.put(e.getName(), e));
        return out;
    }

    @Test
    @DisplayName(
            "the control plane's plain manifest is its chart's default rendering and applies as typed objects")
    void controlPlaneManifest() throws IOException {
        assertManifestIsTheRendering("fedplane-control-plane");
        List<HasMetadata> objects =
                applied(Files.readString(DEPLOY.resolve("manifests/fedplane-control-plane.yaml")));

        Deployment d = one(objects, Deployment.class);
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(podLabels);
        var anti = d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(anti.getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.getPodAffinityTerm().getTopologyKey())
                                    .isEqualTo("kubernetes.io/hostname");
                            assertThat(t.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                                    .isEqualTo(podLabels);
                        });
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
                .isTrue();
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/readiness");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/liveness");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("grpc:9090", "http:8080");
        Map<String, EnvVar> env = env(c);
        assertThat(env.get("FEDPLANE_HA").getValue()).isEqualTo("etcd");
        assertThat(env.get("FEDPLANE_BIND_ADDRESS").getValue()).isEqualTo("0.0.0.0");
        assertThat(env.get("FEDPLANE_ADVERTISE_ADDRESS").getValue()).isEqualTo("$(POD_IP):9090");
        for (String v : List.of("FEDPLANE_DB_URL", "FEDPLANE_DB_USER", "FEDPLANE_DB_PASSWORD")) {
            assertThat(env.get(v).getValueFrom().getSecretKeyRef().getName())
                    .as(v)
                    .isEqualTo("fedplane-db");
        }
        assertThat(env).doesNotContainKeys("FEDPLANE_TLS_CERT_FILE", "FEDPLANE_ADMIN_TOKEN");

        PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(podLabels);
        Service svc = one(objects, Service.class);
        assertThat(svc.getSpec().getSelector()).isEqualTo(podLabels);
        assertThat(svc.getSpec().getPorts())
                .extracting(p -> p.getName() + ":" + p.getPort())
                .containsExactly("grpc:9090", "http:8080");
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());
    }

    @Test
    @DisplayName(
            "the control plane with TLS from a Secret, agents' client certificates, ZooKeeper, required anti-affinity and a ServiceMonitor renders and applies")
    void controlPlaneOptions() {
        String rendered =
                render(
                        "fedplane-control-plane",
                        Map.of(
                                "tls",
                                        Map.of(
                                                "existingSecret",
                                                "fedplane-tls",
                                                "clientAuth",
                                                "agents"),
                                "ha", Map.of("mode", "zookeeper"),
                                "antiAffinity", "required",
                                "adminToken", Map.of("existingSecret", "fedplane-admin"),
                                "extraEnv",
                                        List.of(
                                                Map.of(
                                                        "name",
                                                        "FEDPLANE_RESYNC_INTERVAL",
                                                        "value",
                                                        "1m")),
                                "serviceMonitor", Map.of("enabled", true)));
        List<HasMetadata> all = parse(rendered);
        HasMetadata monitor =
                all.stream()
                        .filter(o -> o.getKind().equals("ServiceMonitor"))
                        .findFirst()
                        .orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        List<HasMetadata> typed =
                all.stream().filter(o -> !o.getKind().equals("ServiceMonitor")).toList();
        typed.forEach(o -> client.resource(o).create());

        Deployment d = one(typed, Deployment.class);
        var spec = d.getSpec().getTemplate().getSpec();
        assertThat(
                        spec.getAffinity()
                                .getPodAntiAffinity()
                                .getRequiredDuringSchedulingIgnoredDuringExecution())
                .hasSize(1);
        Map<String, EnvVar> env = env(spec.getContainers().get(0));
        assertThat(env.get("FEDPLANE_HA").getValue()).isEqualTo("zookeeper");
        assertThat(env.get("FEDPLANE_TLS_CERT_FILE").getValue())
                .isEqualTo("/etc/fedplane/tls/tls.crt");
        assertThat(env.get("FEDPLANE_TLS_KEY_FILE").getValue())
                .isEqualTo("/etc/fedplane/tls/tls.key");
        assertThat(env.get("FEDPLANE_TLS_CLIENT_CA_FILE").getValue())
                .isEqualTo("/etc/fedplane/tls/ca.crt");
        assertThat(env.get("FEDPLANE_TLS_CLIENT_AUTH").getValue()).isEqualTo("agents");
        assertThat(env.get("FEDPLANE_ADMIN_TOKEN").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("fedplane-admin");
        assertThat(env.get("FEDPLANE_RESYNC_INTERVAL").getValue()).isEqualTo("1m");
        assertThat(spec.getVolumes())
                .anySatisfy(
                        v ->
                                assertThat(
                                                v.getSecret() == null
                                                        ? null
                                                        : v.getSecret().getSecretName())
                                        .isEqualTo("fedplane-tls"));
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace(NAMESPACE)
                                .withName("fedplane-control-plane")
                                .get())
                .isNotNull();
    }

    @Test
    @DisplayName(
            "the agent's plain manifest is its chart's default rendering; its roles are bound to the ServiceAccount its Deployment runs as")
    void agentManifest() throws IOException {
        assertManifestIsTheRendering("fedplane-agent");
        List<HasMetadata> objects =
                applied(Files.readString(DEPLOY.resolve("manifests/fedplane-agent.yaml")));

        assertThat(objects.get(0)).isInstanceOf(Namespace.class);
        assertThat(objects.get(0).getMetadata().getName()).isEqualTo(NAMESPACE);
        Deployment d = one(objects, Deployment.class);
        String sa = d.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(one(objects, ServiceAccount.class).getMetadata().getName()).isEqualTo(sa);
        ClusterRoleBinding crb = one(objects, ClusterRoleBinding.class);
        assertThat(crb.getRoleRef().getName())
                .isEqualTo(one(objects, ClusterRole.class).getMetadata().getName());
        assertThat(crb.getSubjects())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getName()).isEqualTo(sa);
                            assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
                        });
        RoleBinding rb = one(objects, RoleBinding.class);
        assertThat(rb.getRoleRef().getName())
                .isEqualTo(one(objects, Role.class).getMetadata().getName());
        assertThat(rb.getSubjects())
                .singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo(sa));
        assertThat(one(objects, Role.class).getRules())
                .anySatisfy(
                        r ->
                                assertThat(r.getResourceNames())
                                        .containsExactly("fedplane-agent-credential"));
        assertThat(objects)
                .filteredOn(Secret.class::isInstance)
                .extracting(o -> o.getMetadata().getName())
                .containsExactly("fedplane-agent-credential");

        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(c.getArgs())
                .containsExactly(
                        "--namespace=" + NAMESPACE,
                        "--cost-per-cpu-hour=0",
                        "--label=tier=idc",
                        "--no-plaintext",
                        "--tls-ca-file=/etc/fedplane/tls/ca.crt");
        Map<String, EnvVar> env = env(c);
        assertThat(env.get("FEDPLANE_BOOTSTRAP_TOKEN").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("fedplane-agent-bootstrap");
        assertThat(env.get("FEDPLANE_CLUSTER_NAME").getValue()).isEqualTo("member-1");
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
                .isTrue();
    }

    @Test
    @DisplayName(
            "the agent with a bootstrap token, labels, taints and a client certificate renders the Secret and the flags")
    void agentOptions() {
        List<HasMetadata> objects =
                applied(
                        render(
                                "fedplane-agent",
                                Map.of(
                                        "controlPlane", Map.of("address", "cp.example:9090"),
                                        "cluster",
                                                Map.of(
                                                        "name",
                                                        "idc-a-1",
                                                        "labels",
                                                        List.of("region=east", "tier=idc"),
                                                        "taints",
                                                        List.of("dedicated=shop:NoSchedule"),
                                                        "costPerCpuHour",
                                                        "0.05"),
                                        "bootstrapToken", Map.of("value", "s3cret"),
                                        "tls", Map.of("clientCertificate", true))));
        Secret bootstrap =
                objects.stream()
                        .filter(Secret.class::isInstance)
                        .map(Secret.class::cast)
                        .filter(s -> s.getMetadata().getName().equals("fedplane-agent-bootstrap"))
                        .findFirst()
                        .orElseThrow();
        assertThat(bootstrap.getStringData()).containsEntry("token", "s3cret");
        Container c =
                one(objects, Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        assertThat(c.getArgs())
                .containsExactly(
                        "--namespace=" + NAMESPACE,
                        "--cost-per-cpu-hour=0.05",
                        "--label=region=east",
                        "--label=tier=idc",
                        "--taint=dedicated=shop:NoSchedule",
                        "--no-plaintext",
                        "--tls-ca-file=/etc/fedplane/tls/ca.crt",
                        "--tls-cert-file=/etc/fedplane/tls/tls.crt",
                        "--tls-key-file=/etc/fedplane/tls/tls.key");
        assertThat(env(c).get("FEDPLANE_CONTROL_PLANE").getValue()).isEqualTo("cp.example:9090");
        assertThat(Objects.requireNonNull(env(c).get("FEDPLANE_CLUSTER_NAME")).getValue())
                .isEqualTo("idc-a-1");
    }
}
