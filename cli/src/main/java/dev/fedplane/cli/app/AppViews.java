package dev.fedplane.cli.app;

import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.ClusterDecision;
import dev.fedplane.proto.v1.ClusterOverride;
import dev.fedplane.proto.v1.ClusterReplicas;
import dev.fedplane.proto.v1.Condition;
import dev.fedplane.proto.v1.EffectiveSpec;
import dev.fedplane.proto.v1.Explanation;
import dev.fedplane.proto.v1.ReplicaScheduling;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Apps and explanations as tables and {@code describe} text. */
public final class AppViews {
    private AppViews() {}

    static int ready(App a) {
        return a.getStatus().getClustersList().stream().mapToInt(ClusterReplicas::getReady).sum();
    }

    static String clusters(List<ClusterReplicas> placements) {
        return placements.stream()
                .filter(c -> c.getDesired() > 0)
                .map(c -> c.getCluster() + "=" + c.getDesired())
                .collect(Collectors.joining(","));
    }

    static String mode(App a) {
        ReplicaScheduling rs = a.getSpec().getPlacement().getReplicaScheduling();
        return rs.getType() == ReplicaScheduling.Type.TYPE_UNSPECIFIED ? "" : rs.getType().name();
    }

    public static Table table(List<App> apps, boolean wide, Clock clock) {
        Table t =
                wide
                        ? new Table(
                                "TENANT",
                                "NAME",
                                "READY",
                                "CLUSTERS",
                                "UNSCHEDULABLE",
                                "GENERATION",
                                "AGE",
                                "IMAGE",
                                "MODE",
                                "CPU",
                                "MEMORY")
                        : new Table(
                                "TENANT",
                                "NAME",
                                "READY",
                                "CLUSTERS",
                                "UNSCHEDULABLE",
                                "GENERATION",
                                "AGE");
        for (App a : apps) {
            String gen =
                    a.getGeneration()
                            + (a.getStatus().getObservedGeneration() == a.getGeneration()
                                    ? ""
                                    : " (placed " + a.getStatus().getObservedGeneration() + ")");
            Object[] base = {
                a.getTenant(),
                a.getName(),
                ready(a) + "/" + a.getSpec().getReplicas(),
                clusters(a.getStatus().getClustersList()),
                a.getStatus().getUnschedulable(),
                gen,
                Units.age(clock, a.getCreateTimeUnixMillis())
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
                        a.getSpec().getImage(),
                        mode(a),
                        Units.cpu(a.getSpec().getResources().getCpuMillis()),
                        Units.memory(a.getSpec().getResources().getMemoryMib()));
            } else {
                t.row(base);
            }
        }
        return t;
    }

    /** Every cluster's verdict: feasible or why not, weight, fit, score, replicas, note. */
    public static Table explanation(List<ClusterDecision> decisions) {
        Table t =
                new Table(
                        "CLUSTER",
                        "FEASIBLE",
                        "REASON",
                        "WEIGHT",
                        "FIT",
                        "SCORE",
                        "REPLICAS",
                        "NOTE");
        for (ClusterDecision d : decisions) {
            t.row(
                    d.getCluster(),
                    d.getFeasible() ? "yes" : "no",
                    d.getReason(),
                    d.getWeight(),
                    d.getFit(),
                    String.format(Locale.ROOT, "%.4f", d.getScore()),
                    d.getReplicas(),
                    d.getNote());
        }
        return t;
    }

    /**
     * The effective spec of every cluster that some override matches (overrides applied, in order);
     * empty when none does.
     */
    public static String effectiveSpecs(List<ClusterDecision> decisions) {
        StringBuilder b = new StringBuilder();
        for (ClusterDecision d : decisions) {
            if (d.hasEffective() && d.getEffective().getAppliedOverridesCount() > 0) {
                if (b.length() == 0) {
                    b.append("\nEffective spec where overrides apply:\n");
                }
                b.append(effectiveSpec(d.getCluster(), d.getEffective()));
            }
        }
        return b.toString();
    }

    /** One cluster's effective spec, one field a line. */
    public static String effectiveSpec(String cluster, EffectiveSpec e) {
        StringBuilder b = new StringBuilder(cluster).append(":\n");
        b.append("  Overrides:      ")
                .append(
                        e.getAppliedOverridesCount() == 0
                                ? "-"
                                : String.join(", ", e.getAppliedOverridesList()))
                .append('\n');
        b.append("  Image:          ").append(e.getImage()).append('\n');
        b.append("  Per replica:    cpu ")
                .append(Units.cpu(e.getResources().getCpuMillis()))
                .append(", memory ")
                .append(Units.memory(e.getResources().getMemoryMib()))
                .append('\n');
        b.append("  Env:            ")
                .append(
                        e.getEnvCount() == 0
                                ? "-"
                                : e.getEnvList().stream()
                                        .map(v -> v.getName() + "=" + v.getValue())
                                        .collect(Collectors.joining(" ")))
                .append('\n');
        b.append("  Labels:         ").append(orDash(Units.labels(e.getLabelsMap()))).append('\n');
        b.append("  Annotations:    ")
                .append(orDash(Units.labels(e.getAnnotationsMap())))
                .append('\n');
        b.append("  Replicas floor: ")
                .append(e.getReplicasFloor() == 0 ? "-" : Integer.toString(e.getReplicasFloor()))
                .append('\n');
        return b.toString();
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    public static String explanationHeader(String tenant, String name, Explanation e) {
        int placed = e.getPlacementsList().stream().mapToInt(ClusterReplicas::getDesired).sum();
        StringBuilder b =
                new StringBuilder("app ")
                        .append(tenant)
                        .append('/')
                        .append(name)
                        .append(" generation ")
                        .append(e.getGeneration())
                        .append(": ")
                        .append(placed)
                        .append(" placed");
        if (!e.getPlacementsList().isEmpty()) {
            b.append(" (").append(clusters(e.getPlacementsList())).append(')');
        }
        b.append(", ").append(e.getUnschedulable()).append(" unschedulable");
        if (!e.getUnschedulableReason().isEmpty()) {
            b.append(": ").append(e.getUnschedulableReason());
        }
        return b.append('\n').toString();
    }

    public static String describe(App a, Clock clock) {
        StringBuilder b = new StringBuilder();
        b.append("Tenant:            ").append(a.getTenant()).append('\n');
        b.append("Name:              ").append(a.getName()).append('\n');
        b.append("Image:             ").append(a.getSpec().getImage()).append('\n');
        b.append("Replicas:          ")
                .append(a.getSpec().getReplicas())
                .append(" desired, ")
                .append(ready(a))
                .append(" ready, ")
                .append(a.getStatus().getUnschedulable())
                .append(" unschedulable\n");
        if (!a.getStatus().getUnschedulableReason().isEmpty()) {
            b.append("Unschedulable:     ")
                    .append(a.getStatus().getUnschedulableReason())
                    .append('\n');
        }
        b.append("Per replica:       cpu ")
                .append(Units.cpu(a.getSpec().getResources().getCpuMillis()))
                .append(", memory ")
                .append(Units.memory(a.getSpec().getResources().getMemoryMib()))
                .append('\n');
        b.append("Scheduling:        ").append(mode(a).isEmpty() ? "-" : mode(a)).append('\n');
        if (a.getSpec().getOverridesCount() > 0) {
            b.append("Overrides:         ")
                    .append(
                            a.getSpec().getOverridesList().stream()
                                    .map(ClusterOverride::getName)
                                    .collect(Collectors.joining(", ")))
                    .append(" (in order; fedctl explain app shows each cluster's effect)\n");
        }
        b.append("Generation:        ")
                .append(a.getGeneration())
                .append(" (placed: ")
                .append(a.getStatus().getObservedGeneration())
                .append(")\n");
        if (a.hasRollout()) {
            dev.fedplane.proto.v1.RolloutStatus r = a.getRollout();
            b.append("Rollout:           ")
                    .append(r.getRolloutId())
                    .append(": revision ")
                    .append(r.getFromRevision())
                    .append(" -> ")
                    .append(r.getToRevision())
                    .append(", ")
                    .append(r.getState().name());
            if (r.getCurrentStage() < r.getStagesCount()) {
                b.append(", stage ").append(r.getStages(r.getCurrentStage()).getName());
            }
            b.append(" (fedctl rollout status)\n");
        }
        b.append("Created:           ")
                .append(Units.instant(a.getCreateTimeUnixMillis()))
                .append(" (")
                .append(Units.age(clock, a.getCreateTimeUnixMillis()))
                .append(" ago)\n");
        b.append("Resource version:  ").append(a.getResourceVersion()).append('\n');
        b.append("Clusters:\n");
        if (a.getStatus().getClustersCount() == 0) {
            b.append("  <none>\n");
        } else {
            Table t = new Table("  CLUSTER", "DESIRED", "READY");
            a.getStatus()
                    .getClustersList()
                    .forEach(c -> t.row("  " + c.getCluster(), c.getDesired(), c.getReady()));
            b.append(t.render());
        }
        b.append("Conditions:\n");
        if (a.getStatus().getConditionsCount() == 0) {
            b.append("  <none>\n");
        } else {
            Table t = new Table("  TYPE", "STATUS", "REASON", "MESSAGE");
            for (Condition c : a.getStatus().getConditionsList()) {
                t.row("  " + c.getType(), c.getStatus(), c.getReason(), c.getMessage());
            }
            b.append(t.render());
        }
        return b.toString();
    }
}
