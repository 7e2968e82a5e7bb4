package dev.fedplane.cli.burst;

import dev.fedplane.cli.ExitCodes;
import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.LocatedError;
import dev.fedplane.cli.ServerError;
import dev.fedplane.cli.apply.Manifest;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.BurstPlan;
import dev.fedplane.proto.v1.CreateBurstPlanRequest;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "plan",
        aliases = {"create"},
        mixinStandardHelpOptions = true,
        description = {
            "Create a burst plan from a file (needs platform-admin). The leader starts it when its",
            "window opens. A server complaint about a field names the file's line."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl burst plan -f double-11.yaml",
            "",
            "A plan file:",
            "  kind: BurstPlan",
            "  name: double-11",
            "  spec:",
            "    window: {startUnixMillis: now+2m, endUnixMillis: now+30m, rampSteps: 2, rampStepSeconds: 120}",
            "    targets:",
            "    - {tenant: shop, app: web, peakReplicas: 40}",
            "    - {tenant: shop, appPattern: 'api-*', multiplier: 2}",
            "    cloudClusters: {matchLabels: {provider: aws}}",
            "    budget: {maxCloudReplicas: 20, maxCloudCostPerHour: 5.0}",
            "    raiseTenantQuotas: true"
        })
public final class BurstPlanCommand extends FedctlCommand {
    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE",
            required = true,
            description = "The plan: a YAML or JSON file; - for standard input.")
    String file;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        Manifest m = BurstFiles.read(env(), file);
        BurstPlan p;
        try {
            p = connection().burst().createBurstPlan((CreateBurstPlanRequest) m.message());
        } catch (StatusRuntimeException e) {
            throw new LocatedError(
                    ServerError.line(e, m::locate), ExitCodes.of(e.getStatus().getCode()));
        }
        if (output.format.structured()) {
            out().print(Documents.render(p, output.format));
        } else {
            out().println(
                            "burstplan/"
                                    + p.getName()
                                    + " created ("
                                    + p.getState()
                                    + "): "
                                    + p.getSpec().getTargetsCount()
                                    + " target(s), window "
                                    + Units.instant(p.getSpec().getWindow().getStartUnixMillis())
                                    + " to "
                                    + Units.instant(p.getSpec().getWindow().getEndUnixMillis()));
        }
        return 0;
    }
}
