package dev.fedplane.cli.cluster;

import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterState;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Taint;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/** Clusters as tables and as {@code describe} text. */
public final class ClusterViews {
    private ClusterViews() {}

    public static Table table(List<Cluster> clusters, boolean wide, Clock clock) {
        Table t =
                wide
                        ? new Table(
                                "NAME",
                                "STATE",
                                "CPU(FREE/ALLOC)",
                                "MEMORY(FREE/ALLOC)",
                                "PODS(FREE/ALLOC)",
                                "HEARTBEAT",
                                "AGE",
                                "LABELS",
                                "TAINTS",
                                "COST/CPU-H",
                                "AGENT",
                                "KUBERNETES")
                        : new Table(
                                "NAME",
                                "STATE",
                                "CPU(FREE/ALLOC)",
                                "MEMORY(FREE/ALLOC)",
                                "PODS(FREE/ALLOC)",
                                "HEARTBEAT",
                                "AGE");
        for (Cluster c : clusters) {
            Resources free = c.getCapacity().getFree();
            Resources alloc = c.getCapacity().getAllocatable();
            String heartbeat =
                    c.getLastHeartbeatUnixMillis() == 0
                            ? "never"
                            : Units.age(clock, c.getLastHeartbeatUnixMillis());
            Object[] base = {
                c.getName(),
                state(c.getState()),
                Units.cpu(free.getCpuMillis()) + "/" + Units.cpu(alloc.getCpuMillis()),
                Units.memory(free.getMemoryMib()) + "/" + Units.memory(alloc.getMemoryMib()),
                free.getPods() + "/" + alloc.getPods(),
                heartbeat,
                Units.age(clock, c.getCreateTimeUnixMillis())
            };
            if (wide) {
                t.row(
                        base[0],
                        base[1],
                        base[2],
                        base[3],
                        base[4],
                        base[5],
                        base[6],
                        Units.labels(c.getLabelsMap()),
                        taints(c.getTaintsList()),
                        c.getCostPerCpuHour() == 0 ? "" : String.valueOf(c.getCostPerCpuHour()),
                        c.getAgentVersion(),
                        c.getKubernetesVersion());
            } else {
                t.row(base);
            }
        }
        return t;
    }

    public static String state(ClusterState s) {
        return s == ClusterState.CLUSTER_STATE_UNSPECIFIED || s == ClusterState.UNRECOGNIZED
                ? "UNKNOWN"
                : s.name();
    }

    static String taints(List<Taint> taints) {
        return taints.stream()
                .map(
                        t ->
                                t.getKey()
                                        + (t.getValue().isEmpty() ? "" : "=" + t.getValue())
                                        + ":"
                                        + (t.getEffect().isEmpty() ? "NoSchedule" : t.getEffect()))
                .collect(Collectors.joining(","));
    }

    private static String resources(Resources r) {
        return "cpu "
                + Units.cpu(r.getCpuMillis())
                + ", memory "
                + Units.memory(r.getMemoryMib())
                + ", pods "
                + r.getPods();
    }

    public static String describe(Cluster c, Clock clock) {
        StringBuilder b = new StringBuilder();
        b.append("Name:               ").append(c.getName()).append('\n');
        b.append("State:              ").append(state(c.getState()));
        if (c.getCordoned() || c.getDraining()) {
            b.append(" (").append(c.getDraining() ? "draining" : "cordoned").append(')');
        }
        b.append('\n');
        b.append("Labels:             ")
                .append(c.getLabelsCount() == 0 ? "<none>" : Units.labels(c.getLabelsMap()))
                .append('\n');
        b.append("Taints:             ")
                .append(c.getTaintsCount() == 0 ? "<none>" : taints(c.getTaintsList()))
                .append('\n');
        b.append("Capacity:\n");
        b.append("  Allocatable:      ")
                .append(resources(c.getCapacity().getAllocatable()))
                .append('\n');
        b.append("  Requested:        ")
                .append(resources(c.getCapacity().getRequested()))
                .append('\n');
        b.append("  Free:             ").append(resources(c.getCapacity().getFree())).append('\n');
        b.append("  Fedplane-managed: ")
                .append(resources(c.getCapacity().getManagedRequested()))
                .append('\n');
        b.append("Cost per CPU-hour:  ").append(c.getCostPerCpuHour()).append('\n');
        b.append("Agent version:      ")
                .append(c.getAgentVersion().isEmpty() ? "-" : c.getAgentVersion())
                .append('\n');
        b.append("Kubernetes version: ")
                .append(c.getKubernetesVersion().isEmpty() ? "-" : c.getKubernetesVersion())
                .append('\n');
        b.append("Last heartbeat:     ")
                .append(
                        c.getLastHeartbeatUnixMillis() == 0
                                ? "never"
                                : Units.instant(c.getLastHeartbeatUnixMillis())
                                        + " ("
                                        + Units.age(clock, c.getLastHeartbeatUnixMillis())
                                        + " ago)")
                .append('\n');
        b.append("Created:            ")
                .append(Units.instant(c.getCreateTimeUnixMillis()))
                .append('\n');
        b.append("Resource version:   ").append(c.getResourceVersion()).append('\n');
        return b.toString();
    }
}
