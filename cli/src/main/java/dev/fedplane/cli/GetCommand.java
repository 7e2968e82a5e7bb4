package dev.fedplane.cli;

import dev.fedplane.cli.app.GetApps;
import dev.fedplane.cli.cluster.GetClusters;
import dev.fedplane.cli.tenant.GetTenants;
import dev.fedplane.cli.token.GetTokens;
import picocli.CommandLine.Command;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "List or show clusters, apps, tenants or tokens.",
        subcommands = {GetClusters.class, GetApps.class, GetTenants.class, GetTokens.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl get clusters -o wide",
            "  fedctl get apps --tenant shop -w",
            "  fedctl get tenant shop -o yaml"
        })
public final class GetCommand {}
