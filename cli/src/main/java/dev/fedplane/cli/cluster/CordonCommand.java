package dev.fedplane.cli.cluster;

import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.CordonClusterRequest;
import picocli.CommandLine.Command;

@Command(
        name = "cordon",
        mixinStandardHelpOptions = true,
        description = "Stop placing new replicas on a cluster; it keeps what it runs.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl cordon idc-bj-1", "  fedctl uncordon idc-bj-1"})
public final class CordonCommand extends ClusterActionCommand {
    @Override
    Cluster call(String name, long rv) {
        return connection()
                .clusters()
                .cordonCluster(
                        CordonClusterRequest.newBuilder()
                                .setName(name)
                                .setResourceVersion(rv)
                                .build());
    }

    @Override
    String verb() {
        return "cordoned";
    }
}
