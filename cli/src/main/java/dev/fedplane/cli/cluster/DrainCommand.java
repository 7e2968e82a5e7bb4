package dev.fedplane.cli.cluster;

import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.DrainClusterRequest;
import picocli.CommandLine.Command;

@Command(
        name = "drain",
        mixinStandardHelpOptions = true,
        description =
                "Move a cluster's replicas elsewhere; it then stays cordoned until uncordoned.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl drain idc-bj-1", "  fedctl get clusters -w"})
public final class DrainCommand extends ClusterActionCommand {
    @Override
    Cluster call(String name, long rv) {
        return connection()
                .clusters()
                .drainCluster(
                        DrainClusterRequest.newBuilder()
                                .setName(name)
                                .setResourceVersion(rv)
                                .build());
    }

    @Override
    String verb() {
        return "draining";
    }
}
