package dev.fedplane.cli.cluster;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** cordon, uncordon, drain: one call on one cluster, then its new state. */
@Command
abstract class ClusterActionCommand extends FedctlCommand {
    @Parameters(paramLabel = "CLUSTER", description = "The cluster's name.")
    String name;

    @Option(
            names = "--resource-version",
            paramLabel = "N",
            defaultValue = "0",
            description = "Act only when the cluster is at this version (0: no precondition).")
    long resourceVersion;

    abstract Cluster call(String name, long resourceVersion);

    abstract String verb();

    @Override
    protected int run() {
        Cluster c = call(name, resourceVersion);
        out().println(
                        "cluster/"
                                + c.getName()
                                + " "
                                + verb()
                                + " (state "
                                + ClusterViews.state(c.getState())
                                + ")");
        return 0;
    }
}
