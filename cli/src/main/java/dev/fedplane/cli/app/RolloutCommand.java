package dev.fedplane.cli.app;

import picocli.CommandLine.Command;

@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description =
                "An app's revisions (every change of its image, requests, ports or env) and their"
                        + " staged rollouts across clusters.",
        subcommands = {
            RolloutHistory.class,
            RolloutDiff.class,
            RolloutStatus.class,
            RolloutActions.Pause.class,
            RolloutActions.Resume.class,
            RolloutActions.Approve.class,
            RolloutActions.Abort.class,
            RolloutUndo.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl rollout history app web --tenant shop",
            "  fedctl rollout history app shop/web --revision 2",
            "  fedctl rollout diff app shop/web 1 3",
            "  fedctl rollout status app shop/web",
            "  fedctl rollout approve app shop/web --stage bj",
            "  fedctl rollout undo app shop/web --to-revision 2 --immediate"
        })
public final class RolloutCommand {}
