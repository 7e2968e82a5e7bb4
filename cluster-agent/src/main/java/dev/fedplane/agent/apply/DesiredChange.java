package dev.fedplane.agent.apply;

import java.util.List;

/** What one control message asks of the cluster. */
public sealed interface DesiredChange {

    /** Everything the cluster must run; every managed object not listed is removed. */
    record Full(List<NamespaceSpec> namespaces, List<WorkloadSpec> workloads)
            implements DesiredChange {
        public Full {
            namespaces = List.copyOf(namespaces);
            workloads = List.copyOf(workloads);
        }
    }

    /** Changes since the previous generation. */
    record Delta(
            List<NamespaceSpec> upsertNamespaces,
            List<String> removeNamespaces,
            List<WorkloadSpec> upsertWorkloads,
            List<WorkloadKey> removeWorkloads)
            implements DesiredChange {
        public Delta {
            upsertNamespaces = List.copyOf(upsertNamespaces);
            removeNamespaces = List.copyOf(removeNamespaces);
            upsertWorkloads = List.copyOf(upsertWorkloads);
            removeWorkloads = List.copyOf(removeWorkloads);
        }
    }
}
