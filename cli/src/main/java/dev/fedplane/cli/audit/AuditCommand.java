package dev.fedplane.cli.audit;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputFormat;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.AuditEvent;
import dev.fedplane.proto.v1.ListAuditEventsRequest;
import dev.fedplane.proto.v1.ListAuditEventsResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "The audit log of every write, newest first.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl audit",
            "  fedctl audit --tenant shop --limit 200 -o wide",
            "  fedctl audit -o json | jq '.events[] | select(.result != \"OK\")'"
        })
public final class AuditCommand extends FedctlCommand {
    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "Only writes that concerned this tenant.")
    String tenant;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "50",
            description = "At most N events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        if (limit <= 0) {
            throw new UsageException("--limit must be positive, got " + limit);
        }
        List<AuditEvent> events = new ArrayList<>();
        String page = "";
        do {
            ListAuditEventsResponse r =
                    connection()
                            .audit()
                            .listAuditEvents(
                                    ListAuditEventsRequest.newBuilder()
                                            .setTenant(tenant == null ? "" : tenant)
                                            .setPageSize(Math.min(1000, limit - events.size()))
                                            .setPageToken(page)
                                            .build());
            r.getEventsList().stream().limit(limit - events.size()).forEach(events::add);
            page = r.getNextPageToken();
        } while (!page.isEmpty() && events.size() < limit);
        if (output.format.structured()) {
            out().print(
                            Documents.render(
                                    ListAuditEventsResponse.newBuilder().addAllEvents(events),
                                    output.format));
            return 0;
        }
        boolean wide = output.format == OutputFormat.WIDE;
        Table t =
                wide
                        ? new Table(
                                "TIME", "ACTOR", "ROLE", "METHOD", "TARGET", "RESULT", "MESSAGE")
                        : new Table("TIME", "ACTOR", "METHOD", "TARGET", "RESULT");
        for (AuditEvent e : events) {
            String method =
                    e.getMethod().startsWith("fedplane.v1.")
                            ? e.getMethod().substring("fedplane.v1.".length())
                            : e.getMethod();
            if (wide) {
                t.row(
                        Units.instant(e.getTimeUnixMillis()),
                        e.getActor(),
                        e.getActorRole(),
                        method,
                        e.getTarget(),
                        e.getResult(),
                        e.getMessage());
            } else {
                t.row(
                        Units.instant(e.getTimeUnixMillis()),
                        e.getActor(),
                        method,
                        e.getTarget(),
                        e.getResult());
            }
        }
        out().print(t.render());
        return 0;
    }
}
