package dev.fedplane.agent.status;

import dev.fedplane.agent.apply.ManagedLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches managed Deployments (label {@value ManagedLabels#SELECTOR}, every namespace) with one
 * informer and answers the current status of all of them from its cache.
 *
 * <p>Threading: {@code onChange} runs on the informer's thread; it must hand work off quickly.
 * {@link #snapshot()} may be called from any thread.
 */
public final class WorkloadStatusWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkloadStatusWatcher.class);

    private final KubernetesClient client;
    private final Runnable onChange;
    private volatile SharedIndexInformer<Deployment> informer;

    public WorkloadStatusWatcher(KubernetesClient client, Runnable onChange) {
        this.client = client;
        this.onChange = onChange;
    }

    /**
     * Starts the informer without waiting for its first list. When the API server cannot be reached
     * the informer keeps retrying on its own; the cache is empty until it succeeds.
     */
    public void start() {
        SharedIndexInformer<Deployment> created =
                client.apps()
                        .deployments()
                        .inAnyNamespace()
                        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                        .runnableInformer(0);
        created.exceptionHandler(
                (started, error) -> {
                    log.warn("deployment informer: {}; retrying", error.toString());
                    return true;
                });
        created.addEventHandler(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Deployment obj) {
                        onChange.run();
                    }

                    @Override
                    public void onUpdate(Deployment oldObj, Deployment newObj) {
                        onChange.run();
                    }

                    @Override
                    public void onDelete(Deployment obj, boolean deletedFinalStateUnknown) {
                        onChange.run();
                    }
                });
        informer = created;
        created.start();
    }

    /** Every managed workload's status, sorted by tenant and app. */
    public List<WorkloadStatus> snapshot() {
        SharedIndexInformer<Deployment> current = informer;
        if (current == null) {
            return List.of();
        }
        List<WorkloadStatus> all = new ArrayList<>();
        for (Deployment d : current.getStore().list()) {
            if (ManagedLabels.isManaged(d.getMetadata().getLabels())) {
                all.add(toStatus(d));
            }
        }
        all.sort(Comparator.comparing(WorkloadStatus::tenant).thenComparing(WorkloadStatus::app));
        return all;
    }

    static WorkloadStatus toStatus(Deployment d) {
        int desired =
                d.getSpec() != null && d.getSpec().getReplicas() != null
                        ? d.getSpec().getReplicas()
                        : 1;
        int ready = 0;
        int updated = 0;
        int available = 0;
        List<WorkloadStatus.Condition> conditions = new ArrayList<>();
        if (d.getStatus() != null) {
            ready = d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
            available =
                    d.getStatus().getAvailableReplicas() == null
                            ? 0
                            : d.getStatus().getAvailableReplicas();
            // Updated replicas count only once the controller has seen the latest template.
            Long seen = d.getStatus().getObservedGeneration();
            Long generation = d.getMetadata().getGeneration();
            if (generation == null || (seen != null && seen >= generation)) {
                updated =
                        d.getStatus().getUpdatedReplicas() == null
                                ? 0
                                : d.getStatus().getUpdatedReplicas();
            }
            if (d.getStatus().getConditions() != null) {
                for (DeploymentCondition c : d.getStatus().getConditions()) {
                    conditions.add(
                            new WorkloadStatus.Condition(
                                    nz(c.getType()),
                                    nz(c.getStatus()),
                                    nz(c.getReason()),
                                    nz(c.getMessage()),
                                    millis(c.getLastTransitionTime())));
                }
            }
        }
        return new WorkloadStatus(
                d.getMetadata().getNamespace(),
                d.getMetadata().getName(),
                desired,
                ready,
                conditions,
                revision(d),
                updated,
                available);
    }

    /** The Deployment's {@value ManagedLabels#REVISION} annotation; 0 when absent or malformed. */
    static long revision(Deployment d) {
        String v =
                d.getMetadata().getAnnotations() == null
                        ? null
                        : d.getMetadata().getAnnotations().get(ManagedLabels.REVISION);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static long millis(String time) {
        if (time == null || time.isEmpty()) {
            return 0;
        }
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        SharedIndexInformer<Deployment> current = informer;
        if (current != null) {
            current.close();
        }
    }
}
