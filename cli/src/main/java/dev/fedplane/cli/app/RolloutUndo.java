package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.proto.v1.RollbackAppRequest;
import dev.fedplane.proto.v1.RollbackAppResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "undo",
        mixinStandardHelpOptions = true,
        description =
                "Roll an app back: a new revision with an older revision's template, rolled out by"
                        + " the app's stages, or to every cluster at once with --immediate.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl rollout undo app shop/web                    # to the previous revision",
            "  fedctl rollout undo app shop/web --to-revision 2 --immediate"
        })
public final class RolloutUndo extends FedctlCommand {
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
            names = "--to-revision",
            paramLabel = "N",
            description = "The revision whose template to go back to (default: the previous one).")
    long toRevision;

    @Option(names = "--immediate", description = "Every cluster at once, whatever the stages say.")
    boolean immediate;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        RolloutHistory.requireApp(kind);
        if (toRevision < 0) {
            throw new UsageException("--to-revision must be 1 or more, got " + toRevision);
        }
        String[] tn = tenantAndName(name, tenant);
        RollbackAppResponse r =
                connection()
                        .rollouts()
                        .rollbackApp(
                                RollbackAppRequest.newBuilder()
                                        .setTenant(tn[0])
                                        .setName(tn[1])
                                        .setToRevision(toRevision)
                                        .setImmediate(immediate)
                                        .build());
        if (output.format.structured()) {
            out().print(Documents.render(r, output.format));
            return 0;
        }
        out().print(
                        "app/"
                                + tn[0]
                                + "/"
                                + tn[1]
                                + " rolled back as revision "
                                + r.getRevision()
                                + (r.hasRollout()
                                        ? ", rolling out in stages (rollout "
                                                + r.getRollout().getRolloutId()
                                                + ")"
                                        : ", to every cluster at once")
                                + "\n");
        return 0;
    }
}
