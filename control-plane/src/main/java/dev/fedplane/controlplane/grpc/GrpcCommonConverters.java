package dev.fedplane.controlplane.grpc;

import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.Quantities;
import dev.fedplane.proto.v1.LabelSelectorRequirement;
import dev.fedplane.proto.v1.Resources;

/** The only place where shared generated types meet shared domain types. */
public final class GrpcCommonConverters {
    private GrpcCommonConverters() {}

    public static Quantities toCore(Resources r) {
        return new Quantities(r.getCpuMillis(), r.getMemoryMib(), r.getPods());
    }

    public static Resources toGrpc(Quantities q) {
        return Resources.newBuilder()
                .setCpuMillis(q.cpuMillis())
                .setMemoryMib(q.memoryMiB())
                .setPods(q.pods())
                .build();
    }

    /**
     * An unknown or unspecified operator becomes null, which validation reports under the field.
     */
    public static ClusterSelector toCore(dev.fedplane.proto.v1.ClusterSelector s) {
        return new ClusterSelector(
                s.getNamesList(),
                s.getMatchLabelsMap(),
                s.getMatchExpressionsList().stream()
                        .map(
                                e ->
                                        new ClusterSelector.Requirement(
                                                e.getKey(),
                                                toCore(e.getOperator()),
                                                e.getValuesList()))
                        .toList());
    }

    private static ClusterSelector.Operator toCore(LabelSelectorRequirement.Operator op) {
        return switch (op) {
            case IN -> ClusterSelector.Operator.IN;
            case NOT_IN -> ClusterSelector.Operator.NOT_IN;
            case EXISTS -> ClusterSelector.Operator.EXISTS;
            case DOES_NOT_EXIST -> ClusterSelector.Operator.DOES_NOT_EXIST;
            default -> null;
        };
    }

    public static dev.fedplane.proto.v1.ClusterSelector toGrpc(ClusterSelector s) {
        var b =
                dev.fedplane.proto.v1.ClusterSelector.newBuilder()
                        .addAllNames(s.names())
                        .putAllMatchLabels(s.matchLabels());
        for (ClusterSelector.Requirement r : s.matchExpressions()) {
            b.addMatchExpressions(
                    LabelSelectorRequirement.newBuilder()
                            .setKey(r.key())
                            .setOperator(
                                    LabelSelectorRequirement.Operator.valueOf(r.operator().name()))
                            .addAllValues(r.values()));
        }
        return b.build();
    }
}
