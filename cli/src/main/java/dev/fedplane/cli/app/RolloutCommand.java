package dev.fedplane.cli.app;

import picocli.CommandLine.Command;

@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = "An app's revisions: every change of its image, requests, ports or env.",
        subcommands = {RolloutHistory.class, RolloutDiff.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl rollout history app web --tenant shop",
            "  fedctl rollout history app shop/web --revision 2",
            "  fedctl rollout diff app shop/web 1 3"
        })
public final class RolloutCommand {}
