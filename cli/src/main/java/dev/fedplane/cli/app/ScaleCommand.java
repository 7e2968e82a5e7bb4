package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.ScaleAppRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description = "Change an app's replica count.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl scale app web --replicas 20 --tenant shop",
            "  fedctl scale app shop/web --replicas 0"
        })
public final class ScaleCommand extends FedctlCommand {
    @Parameters(index = "0", paramLabel = "app", description = "The kind: app.")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "NAME or TENANT/NAME.")
    String name;

    @Option(
            names = "--replicas",
            required = true,
            paramLabel = "N",
            description = "The new replica count.")
    int replicas;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Option(
            names = "--resource-version",
            paramLabel = "N",
            defaultValue = "0",
            description = "Scale only at this version (0: no precondition).")
    long resourceVersion;

    @Override
    protected int run() {
        if (!kind.equals("app") && !kind.equals("apps")) {
            throw new UsageException(
                    "only apps scale: fedctl scale app NAME --replicas N (got \"" + kind + "\")");
        }
        String[] tn = tenantAndName(name, tenant);
        App a =
                connection()
                        .apps()
                        .scaleApp(
                                ScaleAppRequest.newBuilder()
                                        .setTenant(tn[0])
                                        .setName(tn[1])
                                        .setReplicas(replicas)
                                        .setResourceVersion(resourceVersion)
                                        .build());
        out().println(
                        "app/"
                                + a.getTenant()
                                + "/"
                                + a.getName()
                                + " scaled to "
                                + a.getSpec().getReplicas()
                                + " (generation "
                                + a.getGeneration()
                                + ")");
        return 0;
    }
}
