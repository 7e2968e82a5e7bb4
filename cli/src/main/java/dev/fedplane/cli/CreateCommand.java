package dev.fedplane.cli;

import dev.fedplane.cli.tenant.CreateTenant;
import picocli.CommandLine.Command;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a tenant from flags (apps and full tenants: fedctl apply -f).",
        subcommands = {CreateTenant.class},
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl create tenant shop --cpu 8 --memory 16Gi --replicas 20"})
public final class CreateCommand {}
