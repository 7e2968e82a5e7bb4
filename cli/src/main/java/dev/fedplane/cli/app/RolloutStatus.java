package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.proto.v1.GetRolloutRequest;
import dev.fedplane.proto.v1.RolloutClusterStatus;
import dev.fedplane.proto.v1.RolloutStageStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Show an app's latest rollout: its state, and per stage each cluster's revision and"
                        + " progress (desired, updated, ready, available replicas).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl rollout status app web --tenant shop",
            "  fedctl rollout status app shop/web -o yaml"
        })
public final class RolloutStatus extends FedctlCommand {
    @Parameters(index = "0", paramLabel = "app", description = "The kind: app.")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "NAME or TENANT/NAME.")
    String name;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        RolloutHistory.requireApp(kind);
        String[] tn = tenantAndName(name, tenant);
        dev.fedplane.proto.v1.RolloutStatus s =
                connection()
                        .rollouts()
                        .getRollout(
                                GetRolloutRequest.newBuilder()
                                        .setTenant(tn[0])
                                        .setName(tn[1])
                                        .build());
        out().print(output.format.structured() ? Documents.render(s, output.format) : render(s));
        return 0;
    }

    /** The summary line, the message and the per-stage table. */
    static String render(dev.fedplane.proto.v1.RolloutStatus s) {
        StringBuilder b = new StringBuilder();
        int stages = s.getStagesCount();
        String at =
                s.getCurrentStage() < stages
                        ? "stage "
                                + (s.getCurrentStage() + 1)
                                + "/"
                                + stages
                                + " ("
                                + s.getStages(s.getCurrentStage()).getName()
                                + ")"
                        : "all " + stages + " stages passed";
        b.append("Rollout ")
                .append(s.getRolloutId())
                .append(": revision ")
                .append(s.getFromRevision())
                .append(" -> ")
                .append(s.getToRevision())
                .append(", ")
                .append(s.getState().name())
                .append(", ")
                .append(at)
                .append('\n');
        if (!s.getMessage().isEmpty()) {
            b.append("Message: ").append(s.getMessage()).append('\n');
        }
        b.append('\n');
        Table t =
                new Table(
                        "STAGE",
                        "STAGE-STATE",
                        "CLUSTER",
                        "REVISION",
                        "REPORTED",
                        "DESIRED",
                        "UPDATED",
                        "READY",
                        "AVAILABLE",
                        "STATE");
        for (RolloutStageStatus st : s.getStagesList()) {
            if (st.getClustersList().isEmpty()) {
                t.row(st.getName(), st.getState(), "<none>", "", "", "", "", "", "", "");
            }
            for (RolloutClusterStatus c : st.getClustersList()) {
                t.row(
                        st.getName(),
                        st.getState(),
                        c.getCluster(),
                        Long.toString(c.getRevision()),
                        c.getReportedRevision() == 0 ? "-" : Long.toString(c.getReportedRevision()),
                        Integer.toString(c.getDesired()),
                        Integer.toString(c.getUpdated()),
                        Integer.toString(c.getReady()),
                        Integer.toString(c.getAvailable()),
                        c.getState());
            }
        }
        b.append(t.render());
        return b.toString();
    }
}
