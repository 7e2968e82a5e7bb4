package dev.fedplane.cli.capacity;

import picocli.CommandLine.Command;

@Command(
        name = "whatif",
        mixinStandardHelpOptions = true,
        description = {
            "Ask the control plane where replicas would go, changing nothing: the reconciler's own",
            "placement code on a copy of the live state (CapacityService.WhatIfApps / WhatIfClusterLoss).",
            "IDC vs cloud: a cluster is cloud when its label tier=cloud; cloud cost per hour is replicas x",
            "CPU cores x the cluster's costPerCpuHour. The exit status is 0 whether or not it fits."
        },
        subcommands = {
            WhatIfScaleCommand.class,
            WhatIfCreateCommand.class,
            WhatIfLoseCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl whatif scale app web --replicas 40 --tenant shop",
            "  fedctl whatif scale app shop/web=40 shop/api=12",
            "  fedctl whatif create -f app.yaml",
            "  fedctl whatif lose cluster idc-bj-1",
            "  fedctl whatif lose idc bj -o json"
        })
public final class WhatIfCommand {}
