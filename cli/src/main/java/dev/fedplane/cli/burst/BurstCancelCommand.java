package dev.fedplane.cli.burst;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.BurstPlan;
import dev.fedplane.proto.v1.CancelBurstPlanRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancel a plan (needs platform-admin): one not started yet ends at once; one under way",
            "scales back to the pre-event counts and quotas first (cloud replicas leave first)."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl burst cancel double-11"})
public final class BurstCancelCommand extends FedctlCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
        BurstPlan p =
                connection()
                        .burst()
                        .cancelBurstPlan(CancelBurstPlanRequest.newBuilder().setName(name).build());
        out().println("burstplan/" + p.getName() + " " + p.getState() + ": " + p.getReason());
        return 0;
    }
}
