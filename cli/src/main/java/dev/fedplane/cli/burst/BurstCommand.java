package dev.fedplane.cli.burst;

import picocli.CommandLine.Command;

@Command(
        name = "burst",
        mixinStandardHelpOptions = true,
        description = {
            "Peak events: plans that scale apps up for a window, IDC first, the overflow in cloud",
            "clusters within a budget, and back to the pre-event counts afterwards."
        },
        subcommands = {
            BurstPlanCommand.class,
            BurstDryRunCommand.class,
            BurstGetCommand.class,
            BurstCancelCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl burst dry-run -f double-11.yaml",
            "  fedctl burst plan -f double-11.yaml",
            "  fedctl burst get",
            "  fedctl burst get double-11 -o yaml",
            "  fedctl burst cancel double-11"
        })
public final class BurstCommand {}
