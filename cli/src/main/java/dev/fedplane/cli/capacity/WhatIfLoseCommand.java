package dev.fedplane.cli.capacity;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.proto.v1.WhatIfClusterLossRequest;
import dev.fedplane.proto.v1.WhatIfResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "lose",
        mixinStandardHelpOptions = true,
        description = {
            "What if these clusters, or every cluster of an IDC (label idc), were lost: which apps",
            "lose how many replicas, where they would go, what stays unschedulable. Needs platform-admin."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl whatif lose cluster idc-bj-1",
            "  fedctl whatif lose cluster idc-bj-1 idc-bj-2",
            "  fedctl whatif lose idc bj -o yaml"
        })
public final class WhatIfLoseCommand extends FedctlCommand {
    @Parameters(
            index = "0",
            paramLabel = "cluster|idc",
            description = "What is lost: cluster or idc.")
    String kind;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "NAME",
            description = "Cluster names, or one IDC (the value of the idc label).")
    List<String> names;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        WhatIfClusterLossRequest.Builder r = WhatIfClusterLossRequest.newBuilder();
        switch (kind) {
            case "cluster", "clusters" -> r.addAllClusters(names);
            case "idc" -> {
                if (names.size() != 1) {
                    throw new UsageException(
                            "one IDC at a time: fedctl whatif lose idc NAME (got "
                                    + names.size()
                                    + ")");
                }
                r.setIdc(names.get(0));
            }
            default ->
                    throw new UsageException(
                            "what is lost must be cluster or idc, got \"" + kind + "\"");
        }
        WhatIfResponse resp = connection().capacity().whatIfClusterLoss(r.build());
        out().print(
                        output.format.structured()
                                ? Documents.render(resp, output.format)
                                : WhatIfViews.render(resp, true));
        return 0;
    }
}
