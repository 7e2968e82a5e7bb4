package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.proto.v1.GetAppRevisionDiffRequest;
import dev.fedplane.proto.v1.GetAppRevisionDiffResponse;
import dev.fedplane.proto.v1.TemplateChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "What changed from one revision of an app to another (default: the current).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl rollout diff app web 1 --tenant shop      # revision 1 to the current one",
            "  fedctl rollout diff app shop/web 3 2",
            "  fedctl rollout diff app shop/web 1 3 -o json"
        })
public final class RolloutDiff extends FedctlCommand {
    @Parameters(index = "0", paramLabel = "app", description = "The kind: app.")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "NAME or TENANT/NAME.")
    String name;

    @Parameters(index = "2", paramLabel = "FROM", description = "The revision to compare from.")
    long from;

    @Parameters(
            index = "3",
            arity = "0..1",
            paramLabel = "TO",
            description = "The revision to compare to (default: the current one).")
    long to;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        RolloutHistory.requireApp(kind);
        if (from <= 0) {
            throw new UsageException("FROM must be a revision number (1 or more), got " + from);
        }
        if (to < 0) {
            throw new UsageException("TO must be a revision number (or 0: current), got " + to);
        }
        String[] tn = tenantAndName(name, tenant);
        GetAppRevisionDiffResponse d =
                connection()
                        .revisions()
                        .getAppRevisionDiff(
                                GetAppRevisionDiffRequest.newBuilder()
                                        .setTenant(tn[0])
                                        .setName(tn[1])
                                        .setFromRevision(from)
                                        .setToRevision(to)
                                        .build());
        if (output.format.structured()) {
            out().print(Documents.render(d, output.format));
            return 0;
        }
        if (d.getChangesCount() == 0) {
            out().println(
                            "revisions "
                                    + d.getFromRevision()
                                    + " and "
                                    + d.getToRevision()
                                    + " have the same template");
            return 0;
        }
        Table t =
                new Table(
                        "FIELD",
                        "REVISION " + d.getFromRevision(),
                        "REVISION " + d.getToRevision());
        for (TemplateChange c : d.getChangesList()) {
            t.row(
                    c.getPath(),
                    c.getFrom().isEmpty() ? "<none>" : c.getFrom(),
                    c.getTo().isEmpty() ? "<none>" : c.getTo());
        }
        out().print(t.render());
        return 0;
    }
}
