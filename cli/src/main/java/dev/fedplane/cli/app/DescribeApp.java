package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.GetAppRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "app",
        mixinStandardHelpOptions = true,
        description = "Show one app: spec, per-cluster replicas, conditions.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl describe app shop/web", "  fedctl describe app web --tenant shop"})
public final class DescribeApp extends FedctlCommand {
    @Parameters(paramLabel = "NAME", description = "NAME or TENANT/NAME.")
    String name;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Override
    protected int run() {
        String[] tn = tenantAndName(name, tenant);
        out().print(
                        AppViews.describe(
                                connection()
                                        .apps()
                                        .getApp(
                                                GetAppRequest.newBuilder()
                                                        .setTenant(tn[0])
                                                        .setName(tn[1])
                                                        .build()),
                                env().clock()));
        return 0;
    }
}
