package dev.fedplane.cli;

import dev.fedplane.cli.app.DescribeApp;
import dev.fedplane.cli.cluster.DescribeCluster;
import dev.fedplane.cli.tenant.DescribeTenant;
import picocli.CommandLine.Command;

@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "Show one cluster, app or tenant in detail.",
        subcommands = {DescribeCluster.class, DescribeApp.class, DescribeTenant.class},
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl describe cluster idc-bj-1", "  fedctl describe app shop/web"})
public final class DescribeCommand {}
