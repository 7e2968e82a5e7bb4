package dev.fedplane.cli.tenant;

import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantQuota;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Tenants as tables and {@code describe} text. */
public final class TenantViews {
    private TenantViews() {}

    public static Table table(List<Tenant> tenants, boolean wide, Clock clock) {
        Table t =
                wide
                        ? new Table(
                                "NAME",
                                "CPU QUOTA",
                                "MEMORY QUOTA",
                                "REPLICAS QUOTA",
                                "AGE",
                                "DISPLAY NAME",
                                "ALLOWED CLUSTERS",
                                "LABELS")
                        : new Table("NAME", "CPU QUOTA", "MEMORY QUOTA", "REPLICAS QUOTA", "AGE");
        for (Tenant x : tenants) {
            TenantQuota q = x.getQuota();
            Object[] base = {
                x.getName(),
                q.hasCpuMillis() ? Units.cpu(q.getCpuMillis()) : "none",
                q.hasMemoryMib() ? Units.memory(q.getMemoryMib()) : "none",
                q.hasReplicas() ? q.getReplicas() : "none",
                Units.age(clock, x.getCreateTimeUnixMillis())
            };
            if (wide) {
                t.row(
                        base[0],
                        base[1],
                        base[2],
                        base[3],
                        base[4],
                        x.getDisplayName(),
                        x.hasAllowedClusters() ? selector(x.getAllowedClusters()) : "all",
                        Units.labels(x.getLabelsMap()));
            } else {
                t.row(base);
            }
        }
        return t;
    }

    static String selector(ClusterSelector s) {
        List<String> parts = new ArrayList<>();
        if (s.getNamesCount() > 0) {
            parts.add("names in (" + String.join(",", s.getNamesList()) + ")");
        }
        if (s.getMatchLabelsCount() > 0) {
            parts.add(Units.labels(s.getMatchLabelsMap()));
        }
        s.getMatchExpressionsList()
                .forEach(
                        e ->
                                parts.add(
                                        e.getKey()
                                                + " "
                                                + e.getOperator().name()
                                                + (e.getValuesCount() == 0
                                                        ? ""
                                                        : " ("
                                                                + String.join(
                                                                        ",", e.getValuesList())
                                                                + ")")));
        return parts.isEmpty() ? "all" : String.join(",", parts);
    }

    public static String describe(Tenant x, Clock clock) {
        TenantQuota q = x.getQuota();
        StringBuilder b = new StringBuilder();
        b.append("Name:              ").append(x.getName()).append('\n');
        b.append("Display name:      ")
                .append(x.getDisplayName().isEmpty() ? "-" : x.getDisplayName())
                .append('\n');
        b.append("Labels:            ")
                .append(x.getLabelsCount() == 0 ? "<none>" : Units.labels(x.getLabelsMap()))
                .append('\n');
        b.append("Quota:             cpu ")
                .append(q.hasCpuMillis() ? Units.cpu(q.getCpuMillis()) : "none")
                .append(", memory ")
                .append(q.hasMemoryMib() ? Units.memory(q.getMemoryMib()) : "none")
                .append(", replicas ")
                .append(q.hasReplicas() ? String.valueOf(q.getReplicas()) : "none")
                .append('\n');
        q.getPerClusterList()
                .forEach(
                        c ->
                                b.append("  in ")
                                        .append(c.getCluster())
                                        .append(":  cpu ")
                                        .append(
                                                c.hasCpuMillis()
                                                        ? Units.cpu(c.getCpuMillis())
                                                        : "none")
                                        .append(", memory ")
                                        .append(
                                                c.hasMemoryMib()
                                                        ? Units.memory(c.getMemoryMib())
                                                        : "none")
                                        .append(", replicas ")
                                        .append(
                                                c.hasReplicas()
                                                        ? String.valueOf(c.getReplicas())
                                                        : "none")
                                        .append('\n'));
        b.append("Allowed clusters:  ")
                .append(x.hasAllowedClusters() ? selector(x.getAllowedClusters()) : "all")
                .append('\n');
        b.append("Egress rules:      ")
                .append(x.getNetwork().getEgressCount() == 0 ? "<none> (all outbound allowed)" : "")
                .append('\n');
        x.getNetwork()
                .getEgressList()
                .forEach(
                        e ->
                                b.append("  ")
                                        .append(e.getCidr())
                                        .append(" port ")
                                        .append(
                                                e.getPort() == 0
                                                        ? "any"
                                                        : String.valueOf(e.getPort()))
                                        .append(' ')
                                        .append(e.getProtocol().isEmpty() ? "TCP" : e.getProtocol())
                                        .append('\n'));
        b.append("Cross-tenant:      ")
                .append(x.getNetwork().getCrossTenantCount() == 0 ? "<none>" : "")
                .append('\n');
        x.getNetwork()
                .getCrossTenantList()
                .forEach(
                        r ->
                                b.append("  ")
                                        .append(r.getDirection().name())
                                        .append(' ')
                                        .append(r.getPeerTenant())
                                        .append(" app ")
                                        .append(r.getApp())
                                        .append(" port ")
                                        .append(r.getPort())
                                        .append('\n'));
        b.append("Created:           ")
                .append(Units.instant(x.getCreateTimeUnixMillis()))
                .append(" (")
                .append(Units.age(clock, x.getCreateTimeUnixMillis()))
                .append(" ago)\n");
        b.append("Resource version:  ").append(x.getResourceVersion()).append('\n');
        return b.toString();
    }
}
