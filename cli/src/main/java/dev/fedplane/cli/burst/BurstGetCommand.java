package dev.fedplane.cli.burst;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.BurstEvent;
import dev.fedplane.proto.v1.BurstPlan;
import dev.fedplane.proto.v1.BurstTargetProgress;
import dev.fedplane.proto.v1.GetBurstPlanRequest;
import dev.fedplane.proto.v1.ListBurstEventsRequest;
import dev.fedplane.proto.v1.ListBurstEventsResponse;
import dev.fedplane.proto.v1.ListBurstPlansRequest;
import dev.fedplane.proto.v1.ListBurstPlansResponse;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "get",
        aliases = {"list", "describe"},
        mixinStandardHelpOptions = true,
        description = {
            "List plans, or show one: its state and reason, every target's pre-event, peak and",
            "current counts and cloud use, and its events."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl burst get",
            "  fedctl burst get double-11",
            "  fedctl burst get double-11 -o json"
        })
public final class BurstGetCommand extends FedctlCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1")
    String name;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        if (name == null) {
            ListBurstPlansResponse r =
                    connection().burst().listBurstPlans(ListBurstPlansRequest.newBuilder().build());
            out().print(
                            output.format.structured()
                                    ? Documents.render(r, output.format)
                                    : list(r, env().clock()));
            return 0;
        }
        BurstPlan p =
                connection()
                        .burst()
                        .getBurstPlan(GetBurstPlanRequest.newBuilder().setName(name).build());
        if (output.format.structured()) {
            out().print(Documents.render(p, output.format));
            return 0;
        }
        ListBurstEventsResponse events =
                connection()
                        .burst()
                        .listBurstEvents(ListBurstEventsRequest.newBuilder().setName(name).build());
        out().print(describe(p, events, env().clock()));
        return 0;
    }

    static String list(ListBurstPlansResponse r, Clock clock) {
        Table t =
                new Table(
                        "NAME", "STATE", "STEPS", "CLOUD", "COST/H", "START", "END", "AGE",
                        "REASON");
        for (BurstPlan p : r.getPlansList()) {
            t.row(
                    p.getName(),
                    p.getState(),
                    p.getProgress().getStepsApplied() + "/" + p.getProgress().getSteps(),
                    p.getProgress().getCloudReplicas(),
                    BurstDryRunCommand.cost(p.getProgress().getCloudCostPerHour()),
                    Units.instant(p.getSpec().getWindow().getStartUnixMillis()),
                    Units.instant(p.getSpec().getWindow().getEndUnixMillis()),
                    Units.age(clock, p.getCreateTimeUnixMillis()),
                    p.getReason());
        }
        return t.size() == 0 ? "no burst plans\n" : t.render();
    }

    static String describe(BurstPlan p, ListBurstEventsResponse events, Clock clock) {
        StringBuilder b = new StringBuilder();
        b.append("Name:      ").append(p.getName()).append('\n');
        b.append("State:     ").append(p.getState()).append('\n');
        b.append("Reason:    ").append(p.getReason()).append('\n');
        b.append("Window:    ")
                .append(Units.instant(p.getSpec().getWindow().getStartUnixMillis()))
                .append(" to ")
                .append(Units.instant(p.getSpec().getWindow().getEndUnixMillis()))
                .append(", ")
                .append(Math.max(1, p.getSpec().getWindow().getRampSteps()))
                .append(" step(s)");
        if (p.getSpec().getWindow().getRampSteps() > 1) {
            b.append(" every ").append(p.getSpec().getWindow().getRampStepSeconds()).append("s");
        }
        b.append('\n');
        b.append("Steps:     ")
                .append(p.getProgress().getStepsApplied())
                .append('/')
                .append(p.getProgress().getSteps())
                .append('\n');
        b.append("Budget:    max cloud replicas ")
                .append(
                        p.getSpec().getBudget().hasMaxCloudReplicas()
                                ? String.valueOf(p.getSpec().getBudget().getMaxCloudReplicas())
                                : "none")
                .append(", max cost/h ")
                .append(
                        p.getSpec().getBudget().hasMaxCloudCostPerHour()
                                ? BurstDryRunCommand.cost(
                                        p.getSpec().getBudget().getMaxCloudCostPerHour())
                                : "none")
                .append(p.getSpec().getRaiseTenantQuotas() ? ", tenant quotas raised" : "")
                .append('\n');
        b.append("Cloud:     ")
                .append(p.getProgress().getCloudReplicas())
                .append(" replica(s), ")
                .append(BurstDryRunCommand.cost(p.getProgress().getCloudCostPerHour()))
                .append("/h\n");
        b.append("Created:   ")
                .append(Units.age(clock, p.getCreateTimeUnixMillis()))
                .append(" ago by ")
                .append(p.getCreatedBy())
                .append('\n');
        if (p.getProgress().getTargetsCount() > 0) {
            Table t = new Table("APP", "BEFORE", "PEAK", "SET", "CLOUD", "COST/H", "NOTE");
            for (BurstTargetProgress x : p.getProgress().getTargetsList()) {
                t.row(
                        x.getTenant() + "/" + x.getApp(),
                        x.getOriginalReplicas(),
                        x.getPeakReplicas(),
                        x.getAppliedReplicas(),
                        x.getCloudReplicas(),
                        BurstDryRunCommand.cost(x.getCloudCostPerHour()),
                        !x.getSkippedReason().isEmpty()
                                ? "skipped: " + x.getSkippedReason()
                                : x.getUserOwned()
                                        ? "user-owned count"
                                        : x.getRestored() ? "restored" : "");
            }
            b.append("\nTargets:\n").append(t.render());
        }
        Table e = new Table("AGE", "EVENT", "MESSAGE");
        for (BurstEvent ev : events.getEventsList()) {
            e.row(Units.age(clock, ev.getTimeUnixMillis()), ev.getKind(), ev.getMessage());
        }
        b.append("\nEvents:\n").append(e.render());
        return b.toString();
    }
}
