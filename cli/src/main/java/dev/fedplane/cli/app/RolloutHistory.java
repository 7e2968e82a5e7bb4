package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputFormat;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.AppRevision;
import dev.fedplane.proto.v1.ContainerPort;
import dev.fedplane.proto.v1.EnvVar;
import dev.fedplane.proto.v1.GetAppRevisionRequest;
import dev.fedplane.proto.v1.ListAppRevisionsRequest;
import dev.fedplane.proto.v1.ListAppRevisionsResponse;
import dev.fedplane.proto.v1.PodTemplate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "List an app's kept revisions, newest first, or show one.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl rollout history app web --tenant shop",
            "  fedctl rollout history app shop/web -o wide",
            "  fedctl rollout history app shop/web --revision 2",
            "  fedctl rollout history app shop/web --revision 0 -o yaml   # the current one"
        })
public final class RolloutHistory extends FedctlCommand {
    @Parameters(index = "0", paramLabel = "app", description = "The kind: app.")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "NAME or TENANT/NAME.")
    String name;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Option(
            names = "--revision",
            paramLabel = "N",
            description = "Show this revision's whole template (0: the current one).")
    Long revision;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        requireApp(kind);
        String[] tn = tenantAndName(name, tenant);
        if (revision != null) {
            if (revision < 0) {
                throw new UsageException("--revision must be 0 or more, got " + revision);
            }
            AppRevision r =
                    connection()
                            .revisions()
                            .getAppRevision(
                                    GetAppRevisionRequest.newBuilder()
                                            .setTenant(tn[0])
                                            .setName(tn[1])
                                            .setRevision(revision)
                                            .build());
            out().print(output.format.structured() ? Documents.render(r, output.format) : show(r));
            return 0;
        }
        ListAppRevisionsResponse all =
                connection()
                        .revisions()
                        .listAppRevisions(
                                ListAppRevisionsRequest.newBuilder()
                                        .setTenant(tn[0])
                                        .setName(tn[1])
                                        .build());
        if (output.format.structured()) {
            out().print(Documents.render(all, output.format));
            return 0;
        }
        boolean wide = output.format == OutputFormat.WIDE;
        Table t =
                wide
                        ? new Table(
                                "REVISION",
                                "CURRENT",
                                "IMAGE",
                                "CPU",
                                "MEMORY",
                                "GENERATION",
                                "CREATED",
                                "BY")
                        : new Table("REVISION", "CURRENT", "IMAGE", "CPU", "MEMORY");
        for (AppRevision r : all.getRevisionsList()) {
            PodTemplate p = r.getTemplate();
            String current = r.getCurrent() ? "*" : "";
            String cpu = Units.cpu(p.getResources().getCpuMillis());
            String memory = Units.memory(p.getResources().getMemoryMib());
            if (wide) {
                t.row(
                        Long.toString(r.getRevision()),
                        current,
                        p.getImage(),
                        cpu,
                        memory,
                        Long.toString(r.getGeneration()),
                        Units.instant(r.getCreateTimeUnixMillis()),
                        r.getCreatedBy());
            } else {
                t.row(Long.toString(r.getRevision()), current, p.getImage(), cpu, memory);
            }
        }
        out().print(t.render());
        return 0;
    }

    static void requireApp(String kind) {
        if (!kind.equals("app") && !kind.equals("apps")) {
            throw new UsageException("only apps have revisions: got \"" + kind + "\"");
        }
    }

    private static String show(AppRevision r) {
        PodTemplate p = r.getTemplate();
        StringBuilder b = new StringBuilder();
        b.append("Revision:   ")
                .append(r.getRevision())
                .append(r.getCurrent() ? " (current)" : "")
                .append('\n');
        b.append("Generation: ").append(r.getGeneration()).append('\n');
        b.append("Created:    ")
                .append(Units.instant(r.getCreateTimeUnixMillis()))
                .append(" by ")
                .append(r.getCreatedBy())
                .append('\n');
        b.append("Image:      ").append(p.getImage()).append('\n');
        b.append("Requests:   cpu ")
                .append(Units.cpu(p.getResources().getCpuMillis()))
                .append(", memory ")
                .append(Units.memory(p.getResources().getMemoryMib()))
                .append('\n');
        b.append("Ports:      ")
                .append(
                        p.getPortsList().isEmpty()
                                ? "<none>"
                                : p.getPortsList().stream()
                                        .map(RolloutHistory::port)
                                        .collect(Collectors.joining(", ")))
                .append('\n');
        b.append("Env:        ");
        if (p.getEnvList().isEmpty()) {
            b.append("<none>\n");
        } else {
            b.append('\n');
            for (EnvVar e : p.getEnvList()) {
                b.append("  ").append(e.getName()).append('=').append(e.getValue()).append('\n');
            }
        }
        return b.toString();
    }

    private static String port(ContainerPort p) {
        String protocol = p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
        return (p.getName().isEmpty() ? "" : p.getName() + " ")
                + p.getContainerPort()
                + "/"
                + protocol;
    }
}
