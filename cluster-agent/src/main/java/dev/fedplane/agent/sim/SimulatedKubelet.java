package dev.fedplane.agent.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the kube-controller-manager and the kubelets of a mock API server, for demos and
 * tests: every period it makes the Pods of each Deployment match {@code spec.replicas} (Pods
 * labelled like the template, with its containers and requests, phase {@code Running} on the first
 * node in turn), deletes Pods whose Deployment is gone, and writes the Deployment's status
 * (observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, condition
 * {@code Available}).
 *
 * <p>A template change rolls as a RollingUpdate would, one step per period: up to maxSurge (from
 * the Deployment's strategy; Kubernetes' default 25%, at least 1) Pods of the new template are
 * created and as many old ones deleted, so {@code updatedReplicas} climbs over several periods. A
 * Deployment with no Pods yet gets all of them at once.
 *
 * <p>One scheduler thread; every pass lists everything, so it suits clusters of demo size.
 */
public final class SimulatedKubelet implements AutoCloseable {

    /** Annotation on a simulated Pod: {@code namespace/name} of its Deployment. */
    public static final String OWNER = "sim.fedplane.dev/deployment";

    private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);

    private final KubernetesClient client;
    private final ScheduledExecutorService timer;
    private int nextNode;

    public SimulatedKubelet(KubernetesClient client, Duration period) {
        this.client = client;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "simulated-kubelet");
                            t.setDaemon(true);
                            return t;
                        });
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        reconcileOnce();
                    } catch (RuntimeException e) {
                        log.debug("simulated kubelet pass failed: {}", e.toString());
                    }
                },
                0,
                period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One pass over every Deployment and simulated Pod. */
    public synchronized void reconcileOnce() {
        List<String> nodes =
                client.nodes().list().getItems().stream()
                        .map(n -> n.getMetadata().getName())
                        .toList();
        List<Pod> pods =
                client.pods().inAnyNamespace().withLabel("pod-template-hash").list().getItems();
        Map<String, List<Pod>> byOwner = new LinkedHashMap<>();
        for (Pod pod : pods) {
            String owner =
                    pod.getMetadata().getAnnotations() == null
                            ? null
                            : pod.getMetadata().getAnnotations().get(OWNER);
            if (owner != null) {
                byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(pod);
            }
        }
        Set<String> owners = new HashSet<>();
        for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
            String owner = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
            owners.add(owner);
            reconcile(d, byOwner.getOrDefault(owner, List.of()), nodes);
        }
        byOwner.forEach(
                (owner, orphans) -> {
                    if (!owners.contains(owner)) {
                        orphans.forEach(
                                p ->
                                        client.pods()
                                                .inNamespace(p.getMetadata().getNamespace())
                                                .withName(p.getMetadata().getName())
                                                .delete());
                    }
                });
    }

    private void reconcile(Deployment d, List<Pod> current, List<String> nodes) {
        int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        String ns = d.getMetadata().getNamespace();
        String templateHash =
                Integer.toHexString(
                        Objects.hash(d.getSpec().getTemplate().getSpec().getContainers())
                                & 0x7fffffff);
        List<Pod> kept = new ArrayList<>();
        List<Pod> stale = new ArrayList<>();
        for (Pod pod : current) {
            if (!templateHash.equals(pod.getMetadata().getLabels().get("pod-template-hash"))) {
                stale.add(pod);
            } else if (kept.size() >= wanted) {
                client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).delete();
            } else {
                kept.add(pod);
            }
        }
        int target = stale.isEmpty() ? wanted : Math.min(wanted, kept.size() + surge(d, wanted));
        int keepStale = Math.max(0, wanted - target);
        for (int i = 0; i < stale.size(); i++) {
            if (i >= keepStale) {
                Pod pod = stale.get(i);
                client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).delete();
            }
        }
        int oldLeft = Math.min(keepStale, stale.size());
        for (int i = kept.size(); i < target; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (d.getSpec().getTemplate().getMetadata() != null
                    && d.getSpec().getTemplate().getMetadata().getLabels() != null) {
                labels.putAll(d.getSpec().getTemplate().getMetadata().getLabels());
            }
            labels.put("pod-template-hash", templateHash);
            List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
            String node = nodes.isEmpty() ? null : nodes.get(nextNode++ % nodes.size());
            Pod pod =
                    new PodBuilder()
                            .withNewMetadata()
                            .withName(
                                    d.getMetadata().getName()
                                            + "-"
                                            + templateHash
                                            + "-"
                                            + UUID.randomUUID().toString().substring(0, 5))
                            .withNamespace(ns)
                            .withLabels(labels)
                            .withAnnotations(Map.of(OWNER, ns + "/" + d.getMetadata().getName()))
                            .endMetadata()
                            .withNewSpec()
                            .withContainers(containers)
                            .withNodeName(node)
                            .endSpec()
                            .withNewStatus()
                            .withPhase("Running")
                            .endStatus()
                            .build();
            kept.add(client.pods().inNamespace(ns).resource(pod).create());
        }
        int total = kept.size() + oldLeft;
        DeploymentStatus status =
                new DeploymentStatusBuilder()
                        .withObservedGeneration(d.getMetadata().getGeneration())
                        .withReplicas(total)
                        .withUpdatedReplicas(kept.size())
                        .withReadyReplicas(total)
                        .withAvailableReplicas(total)
                        .withConditions(available(d, total >= wanted))
                        .build();
        if (!sameCounts(d.getStatus(), status)) {
            d.setStatus(status);
            client.apps().deployments().inNamespace(ns).resource(d).updateStatus();
        }
    }

    private static DeploymentCondition available(Deployment d, boolean available) {
        String now = Instant.now().toString();
        return new DeploymentConditionBuilder()
                .withType("Available")
                .withStatus(available ? "True" : "False")
                .withReason(available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .withMessage(
                        available
                                ? "Deployment has minimum availability."
                                : "Deployment does not have minimum availability.")
                .withLastTransitionTime(now)
                .withLastUpdateTime(now)
                .build();
    }

    /**
     * The Deployment's RollingUpdate maxSurge in Pods: an int, a percentage, or 25%; at least 1.
     */
    static int surge(Deployment d, int wanted) {
        IntOrString s =
                d.getSpec().getStrategy() == null
                                || d.getSpec().getStrategy().getRollingUpdate() == null
                        ? null
                        : d.getSpec().getStrategy().getRollingUpdate().getMaxSurge();
        int n;
        if (s == null) {
            n = (wanted * 25 + 99) / 100;
        } else if (s.getIntVal() != null) {
            n = s.getIntVal();
        } else {
            String v = s.getStrVal() == null ? "25%" : s.getStrVal().replace("%", "");
            try {
                n = (wanted * Integer.parseInt(v.trim()) + 99) / 100;
            } catch (NumberFormatException e) {
                n = 1;
            }
        }
        return Math.max(1, n);
    }

    private static boolean sameCounts(DeploymentStatus a, DeploymentStatus b) {
        return a != null
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
                && Objects.equals(a.getReplicas(), b.getReplicas())
                && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
                && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
                && a.getConditions() != null
                && !a.getConditions().isEmpty()
                && Objects.equals(
                        a.getConditions().get(0).getStatus(), b.getConditions().get(0).getStatus());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
