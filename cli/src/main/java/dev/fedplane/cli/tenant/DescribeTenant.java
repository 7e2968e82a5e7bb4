package dev.fedplane.cli.tenant;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.GetTenantRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "tenant",
        mixinStandardHelpOptions = true,
        description = "Show one tenant: quota, allowed clusters, network rules.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl describe tenant shop"})
public final class DescribeTenant extends FedctlCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
        out().print(
                        TenantViews.describe(
                                connection()
                                        .tenants()
                                        .getTenant(
                                                GetTenantRequest.newBuilder()
                                                        .setName(name)
                                                        .build()),
                                env().clock()));
        return 0;
    }
}
