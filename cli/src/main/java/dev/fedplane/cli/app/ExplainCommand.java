package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.proto.v1.ExplainAppRequest;
import dev.fedplane.proto.v1.Explanation;
import dev.fedplane.proto.v1.GetEffectiveSpecRequest;
import dev.fedplane.proto.v1.GetEffectiveSpecResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description =
                "Where an app runs or would run and why: every cluster's verdict (feasible or why not), "
                        + "weight, fit, score and replicas, then the effective spec of every cluster an "
                        + "override matches. With --cluster: that cluster's effective spec only "
                        + "(GetEffectiveSpec).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl explain app web --tenant shop",
            "  fedctl explain app shop/web -o json",
            "  fedctl explain app web --tenant shop --cluster idc-bj-1 -o yaml"
        })
public final class ExplainCommand extends FedctlCommand {
    @Parameters(index = "0", paramLabel = "app", description = "The kind: app.")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "NAME or TENANT/NAME.")
    String name;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Option(
            names = {"-c", "--cluster"},
            paramLabel = "CLUSTER",
            description = "Only the app's effective spec in this cluster (overrides applied).")
    String cluster;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        if (!kind.equals("app") && !kind.equals("apps")) {
            throw new UsageException(
                    "only apps are explained: fedctl explain app NAME (got \"" + kind + "\")");
        }
        String[] tn = tenantAndName(name, tenant);
        if (cluster != null) {
            GetEffectiveSpecResponse r =
                    connection()
                            .apps()
                            .getEffectiveSpec(
                                    GetEffectiveSpecRequest.newBuilder()
                                            .setTenant(tn[0])
                                            .setName(tn[1])
                                            .setCluster(cluster)
                                            .build());
            if (output.format.structured()) {
                out().print(Documents.render(r, output.format));
            } else {
                out().print(
                                "app "
                                        + tn[0]
                                        + "/"
                                        + tn[1]
                                        + " generation "
                                        + r.getGeneration()
                                        + " in cluster "
                                        + r.getCluster()
                                        + '\n');
                out().print(AppViews.effectiveSpec(r.getCluster(), r.getEffective()));
            }
            return 0;
        }
        Explanation e =
                connection()
                        .apps()
                        .explainApp(
                                ExplainAppRequest.newBuilder()
                                        .setTenant(tn[0])
                                        .setName(tn[1])
                                        .build());
        if (output.format.structured()) {
            out().print(Documents.render(e, output.format));
        } else {
            out().print(AppViews.explanationHeader(tn[0], tn[1], e));
            out().print(AppViews.explanation(e.getClustersList()).render());
            out().print(AppViews.effectiveSpecs(e.getClustersList()));
        }
        return 0;
    }
}
