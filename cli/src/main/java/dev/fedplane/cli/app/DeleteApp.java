package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.DeleteAppRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "app",
        mixinStandardHelpOptions = true,
        description = "Delete an app from every cluster.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl delete app shop/web"})
public final class DeleteApp extends FedctlCommand {
    @Parameters(paramLabel = "NAME", description = "NAME or TENANT/NAME.")
    String name;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Option(
            names = "--resource-version",
            paramLabel = "N",
            defaultValue = "0",
            description = "Delete only at this version (0: no precondition).")
    long resourceVersion;

    @Override
    protected int run() {
        String[] tn = tenantAndName(name, tenant);
        connection()
                .apps()
                .deleteApp(
                        DeleteAppRequest.newBuilder()
                                .setTenant(tn[0])
                                .setName(tn[1])
                                .setResourceVersion(resourceVersion)
                                .build());
        out().println("app/" + tn[0] + "/" + tn[1] + " deleted");
        return 0;
    }
}
