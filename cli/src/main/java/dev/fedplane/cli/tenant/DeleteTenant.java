package dev.fedplane.cli.tenant;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.DeleteTenantRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "tenant",
        mixinStandardHelpOptions = true,
        description = "Delete a tenant (it must have no apps left).",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl delete tenant shop"})
public final class DeleteTenant extends FedctlCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
            names = "--resource-version",
            paramLabel = "N",
            defaultValue = "0",
            description = "Delete only at this version (0: no precondition).")
    long resourceVersion;

    @Override
    protected int run() {
        connection()
                .tenants()
                .deleteTenant(
                        DeleteTenantRequest.newBuilder()
                                .setName(name)
                                .setResourceVersion(resourceVersion)
                                .build());
        out().println("tenant/" + name + " deleted");
        return 0;
    }
}
