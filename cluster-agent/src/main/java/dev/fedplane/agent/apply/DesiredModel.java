package dev.fedplane.agent.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the control plane last asked for, kept so drift can be corrected between messages: a full
 * state replaces it, a delta changes it. Complete only once a full state has been seen; until then
 * {@link #asFull()} is empty. Not thread-safe.
 */
public final class DesiredModel {

    private final Map<String, NamespaceSpec> namespaces = new LinkedHashMap<>();
    private final Map<WorkloadKey, WorkloadSpec> workloads = new LinkedHashMap<>();
    private boolean complete;

    public void update(DesiredChange change) {
        if (change instanceof DesiredChange.Full full) {
            namespaces.clear();
            workloads.clear();
            full.namespaces().forEach(n -> namespaces.put(n.tenant(), n));
            full.workloads().forEach(w -> workloads.put(w.key(), w));
            complete = true;
        } else if (change instanceof DesiredChange.Delta delta) {
            delta.upsertNamespaces().forEach(n -> namespaces.put(n.tenant(), n));
            delta.upsertWorkloads().forEach(w -> workloads.put(w.key(), w));
            delta.removeWorkloads().forEach(workloads::remove);
            delta.removeNamespaces()
                    .forEach(
                            n -> {
                                namespaces.remove(n);
                                workloads.keySet().removeIf(k -> k.tenant().equals(n));
                            });
        }
    }

    /** The whole desired state, when a full state has been seen. */
    public Optional<DesiredChange.Full> asFull() {
        return complete
                ? Optional.of(
                        new DesiredChange.Full(
                                new ArrayList<>(namespaces.values()),
                                new ArrayList<>(workloads.values())))
                : Optional.empty();
    }
}
