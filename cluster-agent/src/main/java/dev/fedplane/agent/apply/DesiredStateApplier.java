package dev.fedplane.agent.apply;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies desired state to the cluster with create-or-update, and removes what is managed and no
 * longer desired. Only objects labelled {@value ManagedLabels#SELECTOR} are ever changed or
 * deleted: an unmanaged namespace with a tenant's name is used as it is (its Deployments are still
 * managed), an unmanaged Deployment with an app's name is left alone and reported as an error.
 *
 * <p>Not thread-safe: the agent calls it from its loop thread only. Blocking. Every object is
 * tried even when an earlier one failed; the result lists the failures.
 */
public final class DesiredStateApplier {

  public static final String CONTAINER_NAME = "app";

  private static final Logger log = LoggerFactory.getLogger(DesiredStateApplier.class);

  private final KubernetesClient client;

  public DesiredStateApplier(KubernetesClient client) {
    this.client = client;
  }

  public ApplyResult apply(DesiredChange change) {
    List<String> errors = new ArrayList<>();
    if (change instanceof DesiredChange.Full full) {
      applyFull(full, errors);
    } else if (change instanceof DesiredChange.Delta delta) {
      applyDelta(delta, errors);
    }
    return new ApplyResult(errors);
  }

  private void applyFull(DesiredChange.Full full, List<String> errors) {
    full.namespaces().forEach(ns -> run(errors, "namespace " + ns.tenant(), () -> applyNamespace(ns)));
    full.workloads().forEach(w -> run(errors, "workload " + w.tenant() + "/" + w.app(), () -> applyWorkload(w)));

    Set<WorkloadKey> wantedWorkloads = full.workloads().stream().map(WorkloadSpec::key).collect(Collectors.toSet());
    Set<String> wantedNamespaces = full.namespaces().stream().map(NamespaceSpec::tenant).collect(Collectors.toSet());
    run(errors, "listing managed deployments", () -> {
      for (Deployment d : client.apps().deployments().inAnyNamespace().withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems()) {
        WorkloadKey key = new WorkloadKey(d.getMetadata().getNamespace(), d.getMetadata().getName());
        if (!wantedWorkloads.contains(key) && ManagedLabels.isManaged(d.getMetadata().getLabels())) {
          run(errors, "removing workload " + key.tenant() + "/" + key.app(), () -> deleteDeployment(d));
        }
      }
    });
    run(errors, "listing managed namespaces", () -> {
      for (Namespace ns : client.namespaces().withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems()) {
        String name = ns.getMetadata().getName();
        if (!wantedNamespaces.contains(name) && !hasWantedWorkload(wantedWorkloads, name)
            && ManagedLabels.isManaged(ns.getMetadata().getLabels())) {
          run(errors, "removing namespace " + name, () -> removeNamespace(name));
        }
      }
    });
  }

  private static boolean hasWantedWorkload(Set<WorkloadKey> wanted, String namespace) {
    return wanted.stream().anyMatch(k -> k.tenant().equals(namespace));
  }

  private void applyDelta(DesiredChange.Delta delta, List<String> errors) {
    delta.upsertNamespaces().forEach(ns -> run(errors, "namespace " + ns.tenant(), () -> applyNamespace(ns)));
    delta.upsertWorkloads().forEach(w -> run(errors, "workload " + w.tenant() + "/" + w.app(), () -> applyWorkload(w)));
    delta.removeWorkloads().forEach(k -> run(errors, "removing workload " + k.tenant() + "/" + k.app(), () -> removeWorkload(k)));
    delta.removeNamespaces().forEach(n -> run(errors, "removing namespace " + n, () -> removeNamespace(n)));
  }

  /** Creates or updates the tenant's namespace; an existing unmanaged namespace is left as it is. */
  void applyNamespace(NamespaceSpec spec) {
    Namespace existing = client.namespaces().withName(spec.tenant()).get();
    if (existing != null && !ManagedLabels.isManaged(existing.getMetadata().getLabels())) {
      log.info("namespace {} exists and is not managed by Fedplane: using it as it is", spec.tenant());
      return;
    }
    Map<String, String> labels = new LinkedHashMap<>(spec.labels());
    labels.put(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
    labels.put(ManagedLabels.TENANT, spec.tenant());
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(spec.tenant()).withLabels(labels).endMetadata().build();
    if (existing != null && labels.equals(existing.getMetadata().getLabels())) {
      return;
    }
    client.namespaces().resource(ns).createOr(NonDeletingOperation::update);
    // Later: ResourceQuota from the tenant's quota share, NetworkPolicies from its network rules.
  }

  void applyWorkload(WorkloadSpec spec) {
    ensureNamespaceExists(spec.tenant());
    Deployment existing = client.apps().deployments().inNamespace(spec.tenant()).withName(spec.app()).get();
    if (existing != null && !ManagedLabels.isManaged(existing.getMetadata().getLabels())) {
      throw new IllegalStateException("an unmanaged deployment " + spec.tenant() + "/" + spec.app() + " is in the way");
    }
    Deployment wanted = toDeployment(spec);
    if (existing != null && matches(existing, wanted)) {
      return;
    }
    client.apps().deployments().inNamespace(spec.tenant()).resource(wanted).createOr(NonDeletingOperation::update);
  }

  /**
   * Whether {@code existing} already has every field the agent sets (fields the API server adds,
   * such as defaults and status, are not compared). Writing only on a difference keeps a resync
   * from touching objects that have not drifted.
   */
  static boolean matches(Deployment existing, Deployment wanted) {
    if (existing.getSpec() == null || existing.getSpec().getTemplate() == null
        || existing.getSpec().getTemplate().getSpec() == null || existing.getSpec().getTemplate().getMetadata() == null) {
      return false;
    }
    if (!Objects.equals(existing.getMetadata().getLabels(), wanted.getMetadata().getLabels())
        || !Objects.equals(annotation(existing), annotation(wanted))
        || !Objects.equals(existing.getSpec().getReplicas(), wanted.getSpec().getReplicas())
        || !Objects.equals(existing.getSpec().getSelector(), wanted.getSpec().getSelector())
        || !Objects.equals(existing.getSpec().getTemplate().getMetadata().getLabels(),
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
        && quantities(c.getResources().getRequests()).equals(quantities(want.getResources().getRequests()))
        && quantities(c.getResources().getLimits()).equals(quantities(want.getResources().getLimits()))
        && ports(c.getPorts()).equals(ports(want.getPorts()))
        && env(c.getEnv()).equals(env(want.getEnv()));
  }

  private static String annotation(Deployment d) {
    return d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(ManagedLabels.APP_GENERATION);
  }

  private static Map<String, BigDecimal> quantities(Map<String, Quantity> q) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    if (q != null) {
      q.forEach((k, v) -> out.put(k, v.getNumericalAmount().stripTrailingZeros()));
    }
    return out;
  }

  private static List<String> ports(List<ContainerPort> ports) {
    return ports == null ? List.of() : ports.stream()
        .map(p -> p.getName() + "/" + p.getContainerPort() + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol())).toList();
  }

  private static List<String> env(List<EnvVar> env) {
    return env == null ? List.of() : env.stream().map(e -> e.getName() + "=" + e.getValue()).toList();
  }

  /** A Deployment for a workload whose namespace was not listed: the namespace is created managed. */
  private void ensureNamespaceExists(String tenant) {
    if (client.namespaces().withName(tenant).get() == null) {
      applyNamespace(new NamespaceSpec(tenant, Map.of()));
    }
  }

  static Deployment toDeployment(WorkloadSpec spec) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(ManagedLabels.TENANT, spec.tenant());
    selector.put(ManagedLabels.APP, spec.app());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
    labels.putAll(selector);
    Map<String, Quantity> resources = new LinkedHashMap<>();
    if (spec.cpuMillis() > 0) {
      resources.put("cpu", new Quantity(spec.cpuMillis() + "m"));
    }
    if (spec.memoryMib() > 0) {
      resources.put("memory", new Quantity(spec.memoryMib() + "Mi"));
    }
    List<ContainerPort> ports = spec.ports().stream().map(p -> new ContainerPortBuilder()
        .withName(p.name().isEmpty() ? null : p.name())
        .withContainerPort(p.containerPort())
        .withProtocol(p.protocol().isEmpty() ? "TCP" : p.protocol())
        .build()).toList();
    List<EnvVar> env = spec.env().stream().map(e -> new EnvVar(e.name(), e.value(), null)).toList();
    return new DeploymentBuilder()
        .withNewMetadata()
          .withName(spec.app())
          .withNamespace(spec.tenant())
          .withLabels(labels)
          .withAnnotations(Map.of(ManagedLabels.APP_GENERATION, Long.toString(spec.appGeneration())))
        .endMetadata()
        .withNewSpec()
          .withReplicas(spec.replicas())
          .withNewSelector().withMatchLabels(selector).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              .withContainers(new ContainerBuilder()
                  .withName(CONTAINER_NAME)
                  .withImage(spec.image())
                  .withResources(new ResourceRequirementsBuilder().withRequests(resources).withLimits(resources).build())
                  .withPorts(ports)
                  .withEnv(env)
                  .build())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private void removeWorkload(WorkloadKey key) {
    Deployment d = client.apps().deployments().inNamespace(key.tenant()).withName(key.app()).get();
    if (d == null) {
      return;
    }
    if (!ManagedLabels.isManaged(d.getMetadata().getLabels())) {
      log.warn("not removing deployment {}/{}: it is not managed by Fedplane", key.tenant(), key.app());
      return;
    }
    deleteDeployment(d);
  }

  private void deleteDeployment(Deployment d) {
    log.info("removing deployment {}/{}", d.getMetadata().getNamespace(), d.getMetadata().getName());
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName()).delete();
  }

  /**
   * Removes the tenant's managed Deployments, then the namespace when it is managed and holds
   * nothing else the agent knows of. (A real API server deletes a namespace's content with it; the
   * managed Deployments go first so an unmanaged namespace keeps only what others put there.)
   */
  private void removeNamespace(String name) {
    for (Deployment d : client.apps().deployments().inNamespace(name).withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems()) {
      deleteDeployment(d);
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
      errors.add(what + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("{} failed: {}", what, e.getMessage());
      errors.add(what + ": " + e.getMessage());
    }
  }
}
