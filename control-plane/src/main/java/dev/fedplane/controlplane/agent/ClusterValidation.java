package dev.fedplane.controlplane.agent;

import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterService;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.controlplane.common.Violations;

/** Checks a registration, naming the fields of {@code RegisterRequest}. */
final class ClusterValidation {
    private ClusterValidation() {
    }

    static void validate(Cluster c, Violations v) {
        v.requireDns1123Label("cluster_name", c.name());
        v.checkLabels("labels", c.labels());
        String tier = c.labels().get("tier");
        if (tier != null && !ClusterService.TIERS.contains(tier)) {
            v.add("labels[tier]", "must be idc or cloud, got \"" + tier + "\"");
        }
        for (int i = 0; i < c.taints().size(); i++) {
            Cluster.Taint t = c.taints().get(i);
            if (!Violations.isLabelKey(t.key())) {
                v.add("taints[" + i + "].key", "is not a valid taint key");
            }
            if (t.effect() != null && !t.effect().isEmpty() && !ClusterService.EFFECTS.contains(t.effect())) {
                v.add("taints[" + i + "].effect", "must be NoSchedule, PreferNoSchedule or NoExecute, got \""
                        + t.effect() + "\"");
            }
        }
        if (Double.isNaN(c.costPerCpuHour()) || Double.isInfinite(c.costPerCpuHour()) || c.costPerCpuHour() < 0) {
            v.add("cost_per_cpu_hour", "must be a non-negative number");
        }
        quantities("capacity.allocatable", c.allocatable(), v);
        quantities("capacity.requested", c.requested(), v);
        if (c.agentVersion().length() > 128) {
            v.add("agent_version", "must be at most 128 characters");
        }
        if (c.kubernetesVersion().length() > 128) {
            v.add("kubernetes_version", "must be at most 128 characters");
        }
    }

    static void quantities(String f, Quantities q, Violations v) {
        v.requireNonNegative(f + ".cpu_millis", q.cpuMillis());
        v.requireNonNegative(f + ".memory_mib", q.memoryMiB());
        v.requireNonNegative(f + ".pods", q.pods());
    }
}
