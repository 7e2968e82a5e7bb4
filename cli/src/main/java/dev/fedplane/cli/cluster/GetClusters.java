package dev.fedplane.cli.cluster;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.WatchOptions;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.GetClusterRequest;
import dev.fedplane.proto.v1.ListClustersResponse;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "clusters",
        aliases = {"cluster"},
        mixinStandardHelpOptions = true,
        description = "List member clusters with their state and free capacity, or show one.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl get clusters",
            "  fedctl get clusters -o wide -l tier=cloud",
            "  fedctl get cluster idc-bj-1 -o yaml",
            "  fedctl get clusters -w --interval 5s"
        })
public final class GetClusters extends FedctlCommand {
    @Parameters(
            arity = "0..1",
            paramLabel = "NAME",
            description = "One cluster; all when left out.")
    String name;

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "K=V",
            split = ",",
            description = "Only clusters with these labels (comma-separated or repeated).")
    Map<String, String> labels;

    @Mixin OutputOptions output;

    @Mixin WatchOptions watch;

    @Override
    protected int run() {
        if (name != null && labels != null) {
            throw new UsageException("give a NAME or --selector, not both");
        }
        ClusterSelector selector =
                ClusterSelector.newBuilder()
                        .putAllMatchLabels(labels == null ? Map.of() : labels)
                        .build();
        watch.run(
                out(),
                () -> {
                    List<Cluster> clusters =
                            name != null
                                    ? List.of(
                                            connection()
                                                    .clusters()
                                                    .getCluster(
                                                            GetClusterRequest.newBuilder()
                                                                    .setName(name)
                                                                    .build()))
                                    : ClusterLists.all(connection(), selector);
                    return switch (output.format) {
                        case JSON, YAML ->
                                name != null
                                        ? Documents.render(clusters.get(0), output.format)
                                        : Documents.render(
                                                ListClustersResponse.newBuilder()
                                                        .addAllClusters(clusters),
                                                output.format);
                        case TABLE, WIDE ->
                                ClusterViews.table(
                                                clusters,
                                                output.format
                                                        == dev.fedplane.cli.output.OutputFormat
                                                                .WIDE,
                                                env().clock())
                                        .render();
                    };
                });
        return 0;
    }
}
