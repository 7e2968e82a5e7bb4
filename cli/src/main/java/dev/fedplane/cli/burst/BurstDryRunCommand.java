package dev.fedplane.cli.burst;

import dev.fedplane.cli.ExitCodes;
import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.LocatedError;
import dev.fedplane.cli.ServerError;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.apply.Manifest;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.proto.v1.BurstDryRun;
import dev.fedplane.proto.v1.BurstDryRunApp;
import dev.fedplane.proto.v1.BurstQuotaHit;
import dev.fedplane.proto.v1.CreateBurstPlanRequest;
import dev.fedplane.proto.v1.DryRunBurstPlanRequest;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "dry-run",
        mixinStandardHelpOptions = true,
        description = {
            "What a plan would do now, at its peak, on the live fleet, with the reconciler's own",
            "placement code: per app the IDC and cloud replicas, the cloud cost per hour, what would",
            "not fit, and the tenant quotas it would hit. Changes nothing."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl burst dry-run -f double-11.yaml",
            "  fedctl burst dry-run double-11",
            "  fedctl burst dry-run double-11 -o json"
        })
public final class BurstDryRunCommand extends FedctlCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1", description = "A stored plan.")
    String name;

    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE",
            description = "A plan file (not stored); - for standard input.")
    String file;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        if ((name == null) == (file == null)) {
            throw new UsageException("give a plan NAME or -f FILE (one of them)");
        }
        DryRunBurstPlanRequest.Builder r = DryRunBurstPlanRequest.newBuilder();
        Manifest m = null;
        if (file != null) {
            m = BurstFiles.read(env(), file);
            r.setSpec(((CreateBurstPlanRequest) m.message()).getSpec());
        } else {
            r.setName(name);
        }
        BurstDryRun d;
        try {
            d = connection().burst().dryRunBurstPlan(r.build());
        } catch (StatusRuntimeException e) {
            if (m == null) {
                throw e;
            }
            throw new LocatedError(
                    ServerError.line(e, m::locate), ExitCodes.of(e.getStatus().getCode()));
        }
        out().print(output.format.structured() ? Documents.render(d, output.format) : render(d));
        return 0;
    }

    static String cost(double perHour) {
        return String.format(Locale.ROOT, "%.2f", perHour);
    }

    static String render(BurstDryRun d) {
        Table t =
                new Table(
                        "APP",
                        "NOW",
                        "PEAK",
                        "IDC",
                        "CLOUD",
                        "UNSCHEDULABLE",
                        "COST/H",
                        "PLACEMENT");
        for (BurstDryRunApp a : d.getAppsList()) {
            t.row(
                    a.getTenant() + "/" + a.getApp(),
                    a.getCurrentReplicas(),
                    a.getPeakReplicas(),
                    a.getIdcReplicas(),
                    a.getCloudReplicas(),
                    a.getUnschedulable(),
                    cost(a.getCloudCostPerHour()),
                    placement(a.getPlacementMap()));
        }
        t.row(
                "TOTAL",
                "",
                "",
                d.getIdcReplicas(),
                d.getCloudReplicas(),
                d.getUnschedulable(),
                cost(d.getCloudCostPerHour()),
                "");
        StringBuilder b = new StringBuilder(t.render());
        if (d.getQuotaHitsCount() > 0) {
            Table q = new Table("TENANT", "QUOTA", "LIMIT", "NEEDED", "DURING THE WINDOW");
            for (BurstQuotaHit h : d.getQuotaHitsList()) {
                q.row(
                        h.getTenant(),
                        h.getResource(),
                        h.getQuota(),
                        h.getNeeded(),
                        h.getRaised() ? "raised" : "refused (raiseTenantQuotas is off)");
            }
            b.append("\ntenant quotas hit:\n").append(q.render());
        }
        for (BurstDryRunApp a : d.getAppsList()) {
            if (a.getUnschedulable() > 0) {
                b.append("\n")
                        .append(a.getTenant())
                        .append('/')
                        .append(a.getApp())
                        .append(": ")
                        .append(a.getUnschedulable())
                        .append(" would not fit: ")
                        .append(a.getUnschedulableReason());
            }
        }
        for (String n : d.getNotesList()) {
            b.append("\nbudget: ").append(n);
        }
        if (b.charAt(b.length() - 1) != '\n') {
            b.append('\n');
        }
        return b.toString();
    }

    static String placement(Map<String, Integer> m) {
        return new TreeMap<>(m)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
    }
}
