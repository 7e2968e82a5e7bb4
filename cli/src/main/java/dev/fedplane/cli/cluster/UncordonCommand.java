package dev.fedplane.cli.cluster;

import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.UncordonClusterRequest;
import picocli.CommandLine.Command;

@Command(
        name = "uncordon",
        mixinStandardHelpOptions = true,
        description =
                "Let a cordoned or drained cluster take new replicas again (clears cordon and drain).",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl uncordon idc-bj-1"})
public final class UncordonCommand extends ClusterActionCommand {
    @Override
    Cluster call(String name, long rv) {
        return connection()
                .clusters()
                .uncordonCluster(
                        UncordonClusterRequest.newBuilder()
                                .setName(name)
                                .setResourceVersion(rv)
                                .build());
    }

    @Override
    String verb() {
        return "uncordoned";
    }
}
