package dev.fedplane.cli.cluster;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.GetClusterRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Show one cluster in detail.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl describe cluster idc-bj-1"})
public final class DescribeCluster extends FedctlCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
        out().print(
                        ClusterViews.describe(
                                connection()
                                        .clusters()
                                        .getCluster(
                                                GetClusterRequest.newBuilder()
                                                        .setName(name)
                                                        .build()),
                                env().clock()));
        return 0;
    }
}
