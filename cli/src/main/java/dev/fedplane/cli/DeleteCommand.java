package dev.fedplane.cli;

import dev.fedplane.cli.app.DeleteApp;
import dev.fedplane.cli.cluster.DeleteCluster;
import dev.fedplane.cli.tenant.DeleteTenant;
import dev.fedplane.cli.token.DeleteToken;
import picocli.CommandLine.Command;

@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete an app, tenant or cluster, or revoke a token.",
        subcommands = {DeleteApp.class, DeleteTenant.class, DeleteCluster.class, DeleteToken.class},
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl delete app shop/web", "  fedctl delete tenant shop"})
public final class DeleteCommand {}
