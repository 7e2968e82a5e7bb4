package dev.fedplane.cli.cluster;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.DeleteClusterRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Remove a member cluster from the federation.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl delete cluster idc-bj-1"})
public final class DeleteCluster extends FedctlCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
            names = "--resource-version",
            paramLabel = "N",
            defaultValue = "0",
            description = "Delete only at this version (0: no precondition).")
    long resourceVersion;

    @Override
    protected int run() {
        connection()
                .clusters()
                .deleteCluster(
                        DeleteClusterRequest.newBuilder()
                                .setName(name)
                                .setResourceVersion(resourceVersion)
                                .build());
        out().println("cluster/" + name + " deleted");
        return 0;
    }
}
