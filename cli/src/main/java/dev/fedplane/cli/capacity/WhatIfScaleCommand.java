package dev.fedplane.cli.capacity;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.proto.v1.WhatIfAppsRequest;
import dev.fedplane.proto.v1.WhatIfResponse;
import dev.fedplane.proto.v1.WhatIfScale;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description = {
            "Would these apps fit at these replica counts, and where would each replica go?",
            "Each APP is NAME, TENANT/NAME, or either with =N for its own count; the apps are placed",
            "one after the other in the order given, as the reconciler would place the real writes."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl whatif scale app web --replicas 40 --tenant shop",
            "  fedctl whatif scale app shop/web shop/api --replicas 20",
            "  fedctl whatif scale app shop/web=40 shop/api=12 -o yaml"
        })
public final class WhatIfScaleCommand extends FedctlCommand {
    @Parameters(index = "0", paramLabel = "app", description = "The kind: app.")
    String kind;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "APP",
            description = "NAME, TENANT/NAME, NAME=N or TENANT/NAME=N.")
    List<String> apps;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            description = "The replica count of every APP given without =N.")
    Integer replicas;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant of apps given as NAME (default: the context's).")
    String tenant;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        if (!kind.equals("app") && !kind.equals("apps")) {
            throw new UsageException(
                    "only apps scale: fedctl whatif scale app NAME --replicas N (got \""
                            + kind
                            + "\")");
        }
        WhatIfAppsRequest.Builder r = WhatIfAppsRequest.newBuilder();
        for (String a : apps) {
            int eq = a.indexOf('=');
            String ref = eq < 0 ? a : a.substring(0, eq);
            int n;
            if (eq >= 0) {
                try {
                    n = Integer.parseInt(a.substring(eq + 1));
                } catch (NumberFormatException e) {
                    throw new UsageException(
                            "\"" + a + "\": the count after = is not a whole number");
                }
            } else if (replicas != null) {
                n = replicas;
            } else {
                throw new UsageException(
                        "\"" + a + "\": no replica count (give --replicas N or " + a + "=N)");
            }
            String[] tn = tenantAndName(ref, tenant);
            r.addScales(WhatIfScale.newBuilder().setTenant(tn[0]).setName(tn[1]).setReplicas(n));
        }
        WhatIfResponse resp = connection().capacity().whatIfApps(r.build());
        out().print(
                        output.format.structured()
                                ? Documents.render(resp, output.format)
                                : WhatIfViews.render(resp, false));
        return 0;
    }
}
