package dev.fedplane.agent.apply;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies desired state to the cluster with create-or-update, and removes what is managed and no
 * longer desired. Only objects labelled {@value ManagedLabels#SELECTOR} are ever changed or
 * deleted: an unmanaged namespace with a tenant's name is used as it is (its Deployments are still
 * managed), an unmanaged Deployment with an app's name is left alone and reported as an error.
 *
 * <p>In each tenant's namespace it also keeps the tenant's ResourceQuota and NetworkPolicies
 * ({@link TenantIsolation}); managed ones no longer desired are deleted (full state, a namespace
 * upserted with other rules, a namespace removed). {@link #resync} applies a full state again and
 * reports every NetworkPolicy and ResourceQuota it had to write or remove as a {@link
 * DriftCorrection}.
 *
 * <p>Not thread-safe: the agent calls it from its loop thread only. Blocking. Every object is tried
 * even when an earlier one failed; the result lists the failures.
 */
public final class DesiredStateApplier {

    public static final String CONTAINER_NAME = "app";

    private static final Logger log = LoggerFactory.getLogger(DesiredStateApplier.class);

    private final KubernetesClient client;

    public DesiredStateApplier(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Applies a change the control plane sent; its writes are intended, so no drift is reported.
     */
    public ApplyResult apply(DesiredChange change) {
        Pass pass = new Pass(false);
        if (change instanceof DesiredChange.Full full) {
            applyFull(full, pass);
        } else if (change instanceof DesiredChange.Delta delta) {
            applyDelta(delta, pass);
        }
        return new ApplyResult(pass.errors, pass.corrections);
    }

    /**
     * Applies the last desired state again. Every managed NetworkPolicy or ResourceQuota that had
     * to be created, updated or removed is in the result's {@link ApplyResult#driftCorrections()}.
     */
    public ApplyResult resync(DesiredChange.Full full) {
        Pass pass = new Pass(true);
        applyFull(full, pass);
        return new ApplyResult(pass.errors, pass.corrections);
    }

    /** One apply or resync: its errors and, for a resync, its drift corrections. */
    private static final class Pass {
        final boolean resync;
        final List<String> errors = new ArrayList<>();
        final List<DriftCorrection> corrections = new ArrayList<>();

        Pass(boolean resync) {
            this.resync = resync;
        }

        void corrected(HasMetadata object, DriftCorrection.What what) {
            if (resync) {
                corrections.add(
                        new DriftCorrection(
                                HasMetadata.getKind(object.getClass()),
                                HasMetadata.getApiVersion(object.getClass()),
                                object.getMetadata().getNamespace(),
                                object.getMetadata().getName(),
                                object.getMetadata().getUid(),
                                what));
            }
        }
    }

    private void applyFull(DesiredChange.Full full, Pass pass) {
        List<String> errors = pass.errors;
        full.namespaces()
                .forEach(
                        ns ->
                                run(
                                        errors,
                                        "namespace " + ns.tenant(),
                                        () -> applyNamespace(ns, pass)));
        full.workloads()
                .forEach(
                        w ->
                                run(
                                        errors,
                                        "workload " + w.tenant() + "/" + w.app(),
                                        () -> applyWorkload(w, pass)));

        Set<WorkloadKey> wantedWorkloads =
                full.workloads().stream().map(WorkloadSpec::key).collect(Collectors.toSet());
        Set<String> wantedNamespaces =
                full.namespaces().stream().map(NamespaceSpec::tenant).collect(Collectors.toSet());
        run(
                errors,
                "listing managed deployments",
                () -> {
                    for (Deployment d :
                            client.apps()
                                    .deployments()
                                    .inAnyNamespace()
                                    .withLabel(
                                            ManagedLabels.MANAGED_BY,
                                            ManagedLabels.MANAGED_BY_VALUE)
                                    .list()
                                    .getItems()) {
                        WorkloadKey key =
                                new WorkloadKey(
                                        d.getMetadata().getNamespace(), d.getMetadata().getName());
                        if (!wantedWorkloads.contains(key)
                                && ManagedLabels.isManaged(d.getMetadata().getLabels())) {
                            run(
                                    errors,
                                    "removing workload " + key.tenant() + "/" + key.app(),
                                    () -> deleteDeployment(d));
                        }
                    }
                });
        run(
                errors,
                "listing managed namespaces",
                () -> {
                    for (Namespace ns :
                            client.namespaces()
                                    .withLabel(
                                            ManagedLabels.MANAGED_BY,
                                            ManagedLabels.MANAGED_BY_VALUE)
                                    .list()
                                    .getItems()) {
                        String name = ns.getMetadata().getName();
                        if (!wantedNamespaces.contains(name)
                                && !hasWantedWorkload(wantedWorkloads, name)
                                && ManagedLabels.isManaged(ns.getMetadata().getLabels())) {
                            run(
                                    errors,
                                    "removing namespace " + name,
                                    () -> removeNamespace(name, pass));
                        }
                    }
                });
        // Policies and quotas left in namespaces no longer desired that the agent does not delete
        // (unmanaged ones).
        run(
                errors,
                "listing managed network policies",
                () -> {
                    for (NetworkPolicy p :
                            client.network()
                                    .v1()
                                    .networkPolicies()
                                    .inAnyNamespace()
                                    .withLabel(
                                            ManagedLabels.MANAGED_BY,
                                            ManagedLabels.MANAGED_BY_VALUE)
                                    .list()
                                    .getItems()) {
                        String ns = p.getMetadata().getNamespace();
                        if (!wantedNamespaces.contains(ns)
                                && !hasWantedWorkload(wantedWorkloads, ns)
                                && ManagedLabels.isManaged(p.getMetadata().getLabels())) {
                            run(
                                    errors,
                                    "removing network policy "
                                            + ns
                                            + "/"
                                            + p.getMetadata().getName(),
                                    () -> deletePolicy(p, pass));
                        }
                    }
                });
        run(
                errors,
                "listing managed resource quotas",
                () -> {
                    for (ResourceQuota q :
                            client.resourceQuotas()
                                    .inAnyNamespace()
                                    .withLabel(
                                            ManagedLabels.MANAGED_BY,
                                            ManagedLabels.MANAGED_BY_VALUE)
                                    .list()
                                    .getItems()) {
                        String ns = q.getMetadata().getNamespace();
                        if (!wantedNamespaces.contains(ns)
                                && !hasWantedWorkload(wantedWorkloads, ns)
                                && ManagedLabels.isManaged(q.getMetadata().getLabels())) {
                            run(
                                    errors,
                                    "removing resource quota "
                                            + ns
                                            + "/"
                                            + q.getMetadata().getName(),
                                    () -> deleteQuota(q, pass));
                        }
                    }
                });
    }

    private static boolean hasWantedWorkload(Set<WorkloadKey> wanted, String namespace) {
        return wanted.stream().anyMatch(k -> k.tenant().equals(namespace));
    }

    private void applyDelta(DesiredChange.Delta delta, Pass pass) {
        List<String> errors = pass.errors;
        delta.upsertNamespaces()
                .forEach(
                        ns ->
                                run(
                                        errors,
                                        "namespace " + ns.tenant(),
                                        () -> applyNamespace(ns, pass)));
        delta.upsertWorkloads()
                .forEach(
                        w ->
                                run(
                                        errors,
                                        "workload " + w.tenant() + "/" + w.app(),
                                        () -> applyWorkload(w, pass)));
        delta.removeWorkloads()
                .forEach(
                        k ->
                                run(
                                        errors,
                                        "removing workload " + k.tenant() + "/" + k.app(),
                                        () -> removeWorkload(k)));
        delta.removeNamespaces()
                .forEach(
                        n ->
                                run(
                                        errors,
                                        "removing namespace " + n,
                                        () -> removeNamespace(n, pass)));
    }

    /**
     * Creates or updates the tenant's namespace (an existing unmanaged namespace is used as it is),
     * then its ResourceQuota and NetworkPolicies, each step tried even when another failed.
     */
    private void applyNamespace(NamespaceSpec spec, Pass pass) {
        Namespace existing = client.namespaces().withName(spec.tenant()).get();
        if (existing != null && !ManagedLabels.isManaged(existing.getMetadata().getLabels())) {
            log.debug(
                    "namespace {} exists and is not managed by Fedplane: using it as it is",
                    spec.tenant());
        } else {
            Map<String, String> labels = new LinkedHashMap<>(spec.labels());
            labels.put(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
            labels.put(ManagedLabels.TENANT, spec.tenant());
            if (existing == null || !labels.equals(existing.getMetadata().getLabels())) {
                Namespace ns =
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(spec.tenant())
                                .withLabels(labels)
                                .endMetadata()
                                .build();
                client.namespaces().resource(ns).createOr(NonDeletingOperation::update);
            }
        }
        run(pass.errors, "resource quota of " + spec.tenant(), () -> applyQuota(spec, pass));
        run(
                pass.errors,
                "network policies of " + spec.tenant(),
                () -> applyNetworkPolicies(spec, pass));
    }

    /**
     * Keeps {@value TenantIsolation#QUOTA} as the spec says, or deletes a managed one when the spec
     * sets no quota.
     */
    private void applyQuota(NamespaceSpec spec, Pass pass) {
        ResourceQuota existing =
                client.resourceQuotas()
                        .inNamespace(spec.tenant())
                        .withName(TenantIsolation.QUOTA)
                        .get();
        Optional<ResourceQuota> wanted = TenantIsolation.resourceQuota(spec);
        if (existing != null && !ManagedLabels.isManaged(existing.getMetadata().getLabels())) {
            if (wanted.isPresent()) {
                throw new IllegalStateException(
                        "an unmanaged ResourceQuota "
                                + spec.tenant()
                                + "/"
                                + TenantIsolation.QUOTA
                                + " is in the way");
            }
            return;
        }
        if (wanted.isEmpty()) {
            if (existing != null) {
                deleteQuota(existing, pass);
            }
            return;
        }
        if (existing != null && TenantIsolation.matches(existing, wanted.get())) {
            return;
        }
        ResourceQuota written =
                client.resourceQuotas()
                        .inNamespace(spec.tenant())
                        .resource(wanted.get())
                        .createOr(NonDeletingOperation::update);
        logWrite(pass, existing, written);
        pass.corrected(
                written,
                existing == null ? DriftCorrection.What.RECREATED : DriftCorrection.What.RESTORED);
    }

    /**
     * Writes each wanted NetworkPolicy that is missing or differs, and deletes the namespace's
     * managed ones that are not wanted. An unmanaged policy with a wanted name is left alone and
     * reported.
     */
    private void applyNetworkPolicies(NamespaceSpec spec, Pass pass) {
        List<NetworkPolicy> wanted = TenantIsolation.networkPolicies(spec);
        Set<String> wantedNames =
                wanted.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        for (NetworkPolicy want : wanted) {
            String name = want.getMetadata().getName();
            run(
                    pass.errors,
                    "network policy " + spec.tenant() + "/" + name,
                    () -> {
                        NetworkPolicy existing =
                                client.network()
                                        .v1()
                                        .networkPolicies()
                                        .inNamespace(spec.tenant())
                                        .withName(name)
                                        .get();
                        if (existing != null
                                && !ManagedLabels.isManaged(existing.getMetadata().getLabels())) {
                            throw new IllegalStateException(
                                    "an unmanaged NetworkPolicy "
                                            + spec.tenant()
                                            + "/"
                                            + name
                                            + " is in the way");
                        }
                        if (existing != null && TenantIsolation.matches(existing, want)) {
                            return;
                        }
                        NetworkPolicy written =
                                client.network()
                                        .v1()
                                        .networkPolicies()
                                        .inNamespace(spec.tenant())
                                        .resource(want)
                                        .createOr(NonDeletingOperation::update);
                        logWrite(pass, existing, written);
                        pass.corrected(
                                written,
                                existing == null
                                        ? DriftCorrection.What.RECREATED
                                        : DriftCorrection.What.RESTORED);
                    });
        }
        for (NetworkPolicy p :
                client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(spec.tenant())
                        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                        .list()
                        .getItems()) {
            if (!wantedNames.contains(p.getMetadata().getName())
                    && ManagedLabels.isManaged(p.getMetadata().getLabels())) {
                run(
                        pass.errors,
                        "removing network policy "
                                + spec.tenant()
                                + "/"
                                + p.getMetadata().getName(),
                        () -> deletePolicy(p, pass));
            }
        }
    }

    private static void logWrite(Pass pass, HasMetadata before, HasMetadata written) {
        String what =
                written.getKind()
                        + " "
                        + written.getMetadata().getNamespace()
                        + "/"
                        + written.getMetadata().getName();
        if (pass.resync) {
            return; // the agent logs drift corrections itself
        }
        log.info("{} {}", before == null ? "created" : "updated", what);
    }

    private void deletePolicy(NetworkPolicy p, Pass pass) {
        log.info(
                "removing NetworkPolicy {}/{}",
                p.getMetadata().getNamespace(),
                p.getMetadata().getName());
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(p.getMetadata().getNamespace())
                .withName(p.getMetadata().getName())
                .delete();
        pass.corrected(p, DriftCorrection.What.REMOVED);
    }

    private void deleteQuota(ResourceQuota q, Pass pass) {
        log.info(
                "removing ResourceQuota {}/{}",
                q.getMetadata().getNamespace(),
                q.getMetadata().getName());
        client.resourceQuotas()
                .inNamespace(q.getMetadata().getNamespace())
                .withName(q.getMetadata().getName())
                .delete();
        pass.corrected(q, DriftCorrection.What.REMOVED);
    }

    private void applyWorkload(WorkloadSpec spec, Pass pass) {
        ensureNamespaceExists(spec.tenant(), pass);
        Deployment existing =
                client.apps().deployments().inNamespace(spec.tenant()).withName(spec.app()).get();
        if (existing != null && !ManagedLabels.isManaged(existing.getMetadata().getLabels())) {
            throw new IllegalStateException(
                    "an unmanaged deployment "
                            + spec.tenant()
                            + "/"
                            + spec.app()
                            + " is in the way");
        }
        Deployment wanted = toDeployment(spec);
        if (existing != null && matches(existing, wanted)) {
            return;
        }
        client.apps()
                .deployments()
                .inNamespace(spec.tenant())
                .resource(wanted)
                .createOr(NonDeletingOperation::update);
    }

    /**
     * Whether {@code existing} already has every field the agent sets (fields the API server adds,
     * such as defaults and status, are not compared). Writing only on a difference keeps a resync
     * from touching objects that have not drifted.
     */
    static boolean matches(Deployment existing, Deployment wanted) {
        if (existing.getSpec() == null
                || existing.getSpec().getTemplate() == null
                || existing.getSpec().getTemplate().getSpec() == null
                || existing.getSpec().getTemplate().getMetadata() == null) {
            return false;
        }
        if (!Objects.equals(existing.getMetadata().getLabels(), wanted.getMetadata().getLabels())
                || !Objects.equals(annotation(existing), annotation(wanted))
                || !overrideAnnotationsMatch(
                        existing.getMetadata().getAnnotations(),
                        wanted.getMetadata().getAnnotations())
                || !overrideAnnotationsMatch(
                        existing.getSpec().getTemplate().getMetadata().getAnnotations(),
                        wanted.getSpec().getTemplate().getMetadata().getAnnotations())
                || !Objects.equals(revision(existing), revision(wanted))
                || (wanted.getSpec().getStrategy() != null
                        && !Objects.equals(
                                rollingUpdate(existing.getSpec().getStrategy()),
                                rollingUpdate(wanted.getSpec().getStrategy())))
                || !Objects.equals(existing.getSpec().getReplicas(), wanted.getSpec().getReplicas())
                || !Objects.equals(existing.getSpec().getSelector(), wanted.getSpec().getSelector())
                || !Objects.equals(
                        existing.getSpec().getTemplate().getMetadata().getLabels(),
                        wanted.getSpec().getTemplate().getMetadata().getLabels())) {
            return false;
        }
        List<Container> have = existing.getSpec().getTemplate().getSpec().getContainers();
        Container want = wanted.getSpec().getTemplate().getSpec().getContainers().get(0);
        if (have == null || have.size() != 1) {
            return false;
        }
        Container c = have.get(0);
        return Objects.equals(c.getName(), want.getName())
                && Objects.equals(c.getImage(), want.getImage())
                && c.getResources() != null
                && quantities(c.getResources().getRequests())
                        .equals(quantities(want.getResources().getRequests()))
                && quantities(c.getResources().getLimits())
                        .equals(quantities(want.getResources().getLimits()))
                && ports(c.getPorts()).equals(ports(want.getPorts()))
                && env(c.getEnv()).equals(env(want.getEnv()));
    }

    /**
     * Whether {@code existing} carries every annotation of {@code wanted} (the overrides' ones and
     * the agent's list of their keys) with its value; other annotations (the API server's, or
     * kubectl's) are not compared. On the Deployment the key list makes a removed one a difference.
     */
    static boolean overrideAnnotationsMatch(
            Map<String, String> existing, Map<String, String> wanted) {
        Map<String, String> have = existing == null ? Map.of() : existing;
        Map<String, String> want = wanted == null ? Map.of() : wanted;
        if (!Objects.equals(
                have.get(ManagedLabels.OVERRIDE_ANNOTATIONS),
                want.get(ManagedLabels.OVERRIDE_ANNOTATIONS))) {
            return false;
        }
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String revision(Deployment d) {
        return d.getMetadata().getAnnotations() == null
                ? null
                : d.getMetadata().getAnnotations().get(ManagedLabels.REVISION);
    }

    /** "maxSurge/maxUnavailable" of a RollingUpdate strategy; "" for Kubernetes' defaults. */
    private static String rollingUpdate(DeploymentStrategy s) {
        if (s == null || s.getRollingUpdate() == null) {
            return "";
        }
        return s.getRollingUpdate().getMaxSurge() + "/" + s.getRollingUpdate().getMaxUnavailable();
    }

    private static String annotation(Deployment d) {
        return d.getMetadata().getAnnotations() == null
                ? null
                : d.getMetadata().getAnnotations().get(ManagedLabels.APP_GENERATION);
    }

    private static Map<String, BigDecimal> quantities(Map<String, Quantity> q) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (q != null) {
            q.forEach((k, v) -> out.put(k, v.getNumericalAmount().stripTrailingZeros()));
        }
        return out;
    }

    private static List<String> ports(List<ContainerPort> ports) {
        return ports == null
                ? List.of()
                : ports.stream()
                        .map(
                                p ->
                                        p.getName()
                                                + "/"
                                                + p.getContainerPort()
                                                + "/"
                                                + (p.getProtocol() == null
                                                        ? "TCP"
                                                        : p.getProtocol()))
                        .toList();
    }

    private static List<String> env(List<EnvVar> env) {
        return env == null
                ? List.of()
                : env.stream().map(e -> e.getName() + "=" + e.getValue()).toList();
    }

    /**
     * A Deployment for a workload whose namespace was not listed: the namespace is created managed.
     */
    private void ensureNamespaceExists(String tenant, Pass pass) {
        if (client.namespaces().withName(tenant).get() == null) {
            applyNamespace(new NamespaceSpec(tenant, Map.of()), pass);
        }
    }

    static Deployment toDeployment(WorkloadSpec spec) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(ManagedLabels.TENANT, spec.tenant());
        selector.put(ManagedLabels.APP, spec.app());
        Map<String, String> labels = new LinkedHashMap<>();
        // The overrides' labels first, sorted; the agent's own win over any (the control plane
        // refuses fedplane.dev/ keys, and they are skipped here too).
        new TreeMap<>(spec.labels())
                .forEach(
                        (k, v) -> {
                            if (!ManagedLabels.isReserved(k)) {
                                labels.put(k, v);
                            }
                        });
        labels.put(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
        labels.putAll(selector);
        Map<String, String> podAnnotations = new TreeMap<>();
        spec.annotations()
                .forEach(
                        (k, v) -> {
                            if (!ManagedLabels.isReserved(k)) {
                                podAnnotations.put(k, v);
                            }
                        });
        Map<String, String> annotations = new LinkedHashMap<>(podAnnotations);
        annotations.put(ManagedLabels.APP_GENERATION, Long.toString(spec.appGeneration()));
        if (!podAnnotations.isEmpty()) {
            annotations.put(
                    ManagedLabels.OVERRIDE_ANNOTATIONS, String.join(",", podAnnotations.keySet()));
        }
        Map<String, Quantity> resources = new LinkedHashMap<>();
        if (spec.cpuMillis() > 0) {
            resources.put("cpu", new Quantity(spec.cpuMillis() + "m"));
        }
        if (spec.memoryMib() > 0) {
            resources.put("memory", new Quantity(spec.memoryMib() + "Mi"));
        }
        List<ContainerPort> ports =
                spec.ports().stream()
                        .map(
                                p ->
                                        new ContainerPortBuilder()
                                                .withName(p.name().isEmpty() ? null : p.name())
                                                .withContainerPort(p.containerPort())
                                                .withProtocol(
                                                        p.protocol().isEmpty()
                                                                ? "TCP"
                                                                : p.protocol())
                                                .build())
                        .toList();
        List<EnvVar> env =
                spec.env().stream().map(e -> new EnvVar(e.name(), e.value(), null)).toList();
        if (spec.revision() > 0) {
            annotations.put(ManagedLabels.REVISION, Long.toString(spec.revision()));
        }
        // Both 0: no strategy, so Kubernetes' default RollingUpdate (25%, 25%) applies.
        DeploymentStrategy strategy =
                spec.maxSurge() == 0 && spec.maxUnavailable() == 0
                        ? null
                        : new DeploymentStrategyBuilder()
                                .withType("RollingUpdate")
                                .withNewRollingUpdate()
                                .withMaxSurge(new IntOrString(spec.maxSurge()))
                                .withMaxUnavailable(new IntOrString(spec.maxUnavailable()))
                                .endRollingUpdate()
                                .build();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(spec.app())
                .withNamespace(spec.tenant())
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withReplicas(spec.replicas())
                .withStrategy(strategy)
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .withAnnotations(podAnnotations.isEmpty() ? null : podAnnotations)
                .endMetadata()
                .withNewSpec()
                .withContainers(
                        new ContainerBuilder()
                                .withName(CONTAINER_NAME)
                                .withImage(spec.image())
                                .withResources(
                                        new ResourceRequirementsBuilder()
                                                .withRequests(resources)
                                                .withLimits(resources)
                                                .build())
                                .withPorts(ports)
                                .withEnv(env)
                                .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private void removeWorkload(WorkloadKey key) {
        Deployment d =
                client.apps().deployments().inNamespace(key.tenant()).withName(key.app()).get();
        if (d == null) {
            return;
        }
        if (!ManagedLabels.isManaged(d.getMetadata().getLabels())) {
            log.warn(
                    "not removing deployment {}/{}: it is not managed by Fedplane",
                    key.tenant(),
                    key.app());
            return;
        }
        deleteDeployment(d);
    }

    private void deleteDeployment(Deployment d) {
        log.info(
                "removing deployment {}/{}",
                d.getMetadata().getNamespace(),
                d.getMetadata().getName());
        client.apps()
                .deployments()
                .inNamespace(d.getMetadata().getNamespace())
                .withName(d.getMetadata().getName())
                .delete();
    }

    /**
     * Removes the tenant's managed Deployments, NetworkPolicies and ResourceQuota, then the
     * namespace when it is managed and holds nothing else the agent knows of. (A real API server
     * deletes a namespace's content with it; the managed Deployments go first so an unmanaged
     * namespace keeps only what others put there.)
     */
    private void removeNamespace(String name, Pass pass) {
        for (Deployment d :
                client.apps()
                        .deployments()
                        .inNamespace(name)
                        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                        .list()
                        .getItems()) {
            deleteDeployment(d);
        }
        for (NetworkPolicy p :
                client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(name)
                        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                        .list()
                        .getItems()) {
            if (ManagedLabels.isManaged(p.getMetadata().getLabels())) {
                deletePolicy(p, pass);
            }
        }
        for (ResourceQuota q :
                client.resourceQuotas()
                        .inNamespace(name)
                        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                        .list()
                        .getItems()) {
            if (ManagedLabels.isManaged(q.getMetadata().getLabels())) {
                deleteQuota(q, pass);
            }
        }
        Namespace ns = client.namespaces().withName(name).get();
        if (ns == null) {
            return;
        }
        if (!ManagedLabels.isManaged(ns.getMetadata().getLabels())) {
            log.info("not removing namespace {}: it is not managed by Fedplane", name);
            return;
        }
        log.info("removing namespace {}", name);
        client.namespaces().withName(name).delete();
    }

    private static void run(List<String> errors, String what, Runnable step) {
        try {
            step.run();
        } catch (KubernetesClientException e) {
            log.warn("{} failed: {}", what, e.getMessage());
            errors.add(
                    what
                            + ": "
                            + (e.getStatus() != null && e.getStatus().getMessage() != null
                                    ? e.getStatus().getMessage()
                                    : e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", what, e.getMessage());
            errors.add(what + ": " + e.getMessage());
        }
    }
}
